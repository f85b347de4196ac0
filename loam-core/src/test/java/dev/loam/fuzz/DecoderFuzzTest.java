package dev.loam.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.loam.DecodeException;
import dev.loam.Document;
import dev.loam.LoadOptions;
import dev.loam.internal.codec.ChangeChunk;
import dev.loam.internal.codec.Chunk;
import dev.loam.internal.codec.ChunkReader;
import java.util.List;

/**
 * Coverage-guided fuzz targets for the decoders reachable from the public API: any input either
 * loads or raises {@link DecodeException}; anything else (another exception, an error, a hang) is a
 * finding. Without {@code JAZZER_FUZZ=1} each target replays its committed corpus in
 * {@code src/test/resources/dev/loam/fuzz/DecoderFuzzTestInputs/<method>/}.
 */
class DecoderFuzzTest {
  /** Small ceilings so that a fuzzer cannot spend its time inflating legitimately huge columns. */
  static final LoadOptions SMALL = LoadOptions.builder().maxInflatedBytes(1 << 20).maxOpsPerChunk(1 << 16).build();

  /** Whole files: document and change chunks, strictly. */
  @FuzzTest(maxDuration = "2m")
  void documentLoad(byte[] input) {
    try {
      Document d = Document.load(input, SMALL);
      d.save();
    } catch (DecodeException expected) {
      // a clean rejection
    }
  }

  /** Files applied to an existing document incrementally (torn tails allowed, orphans queued). */
  @FuzzTest(maxDuration = "2m")
  void incrementalLoad(byte[] input) {
    Document d = Document.load(new byte[0], SMALL);
    try {
      d.loadIncremental(input);
      d.save();
    } catch (DecodeException expected) {
      // a clean rejection
    }
  }

  /** Change chunks given one per element, as sync messages and storage adapters hand them over. */
  @FuzzTest(maxDuration = "2m")
  void changeApply(byte[] input) {
    Document d = Document.load(new byte[0], SMALL);
    try {
      d.applyChanges(List.of(input));
      d.saveIncremental();
    } catch (DecodeException expected) {
      // a clean rejection
    }
  }

  /** The chunk container alone: headers, checksums, deflated change chunks. */
  @FuzzTest(maxDuration = "2m")
  void chunkRead(byte[] input) {
    try {
      for (Chunk c : ChunkReader.readAll(input, 1 << 20)) {
        c.body();
      }
    } catch (DecodeException expected) {
      // a clean rejection
    }
  }

  /** One change chunk, decoded without applying it. */
  @FuzzTest(maxDuration = "2m")
  void changeDecode(byte[] input) {
    try {
      ChangeChunk.decode(input);
    } catch (DecodeException expected) {
      // a clean rejection
    }
  }
}
