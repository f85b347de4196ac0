// Prints "<16 hex digits of the IEEE bits> <String(x)>" for a table of doubles.
const buf = new DataView(new ArrayBuffer(8));
function bits(x) { buf.setFloat64(0, x); return buf.getBigUint64(0).toString(16).padStart(16, '0'); }
function fromBits(b) { buf.setBigUint64(0, b); return buf.getFloat64(0); }
const xs = [0, -0, 1, -1, 0.1, 0.2, 0.1+0.2, 1.5, -1.5, 100, 123456789, 1e20, 1e21, 1e22, 1.5e21, 123456789012345680000,
  999999999999999900000, 1e-6, 1e-7, 1.5e-7, 1.234e-7, 0.000001, 0.0000012345, 5e-324, -5e-324, 1e-323, 2.5e-323,
  Number.MAX_VALUE, -Number.MAX_VALUE, Number.MIN_VALUE, Number.EPSILON, Number.MAX_SAFE_INTEGER, 2**53, 2**53+2, 2**63, 2**64,
  1e23, 9.007199254740993e15, 1/3, 2/3, Math.PI, Math.E, 1e300, 1.7976931348623157e308, 2.2250738585072014e-308,
  2.225073858507201e-308, 4.9406564584124654e-324, 1e-5, 12345.678, 0.5, 0.25, 1e16, 1e17, 123e18, 5e-7, 7e-7, 9e-324,
  3e-324, 8e-324, 1e-322, 4.4e-323, 1e15, 1e-10, 2e21, 100000000000000000000, 1.7e308, 8.41e21, 5e-310, 1.2345e-300, -123.456];
let seed = 12345n;
function rnd() { seed = (seed * 6364136223846793005n + 1442695040888963407n) & ((1n<<64n)-1n); return seed; }
for (let i = 0; i < 300; i++) { const x = fromBits(rnd()); if (Number.isFinite(x)) xs.push(x); }
for (let i = 0; i < 100; i++) { xs.push(Number((rnd() % 100000000000n)) / 10 ** Number(rnd() % 12n)); }
for (let i = 0; i < 50; i++) { xs.push(Number(rnd() % 10000n) * 10 ** (Number(rnd() % 40n) - 20)); }
for (const x of xs) console.log(bits(x) + ' ' + String(x));
