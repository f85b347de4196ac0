package dev.loam.repo.id;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The example of package {@code dev.loam.repo.id}'s Javadoc: a document's id and its URL. */
class IdExampleTest {
  @Test
  void aUrlNamesADocumentAndParsesBack() {
    // @start region="example"
    DocumentId id = DocumentId.parse("paDvPLpbtauLzSphGAQpT65EzH9"); // as automerge-repo prints it
    AutomergeUrl url = id.toUrl();                    // automerge:paDvPLpbtauLzSphGAQpT65EzH9
    AutomergeUrl read = AutomergeUrl.parse(url.toString());
    Optional<AutomergeUrl> typo = AutomergeUrl.tryParse("automerge:paDvPLpbtauLzSphGAQpT65EzH8");
    // @end
    assertEquals("automerge:paDvPLpbtauLzSphGAQpT65EzH9", url.toString());
    assertEquals(id, read.documentId());
    assertTrue(typo.isEmpty(), "the bs58check checksum catches a changed last character");
  }
}
