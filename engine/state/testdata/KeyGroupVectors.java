/*
 * Independent generator of key-group test vectors for engine/state/keyGroups.ts (reference 4.5).
 *
 * Hash codes come from Java itself (String.hashCode, Integer.hashCode, Long.hashCode); murmurHash and the
 * KeyGroupRangeAssignment functions are transcribed from Flink's MathUtils / KeyGroupRangeAssignment.
 * Regenerate (Java 17+):
 *   cd engine/state/testdata && javac -d /tmp/kgv KeyGroupVectors.java && java -cp /tmp/kgv KeyGroupVectors \
 *     | npx prettier --stdin-filepath keyGroupVectors.json > keyGroupVectors.json
 * Output is ASCII-only JSON (non-ASCII characters escaped as UTF-16 \\uXXXX units); prettier only reflows it.
 */
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

public final class KeyGroupVectors {
    static final int DEFAULT_LOWER_BOUND_MAX_PARALLELISM = 1 << 7;
    static final int UPPER_BOUND_MAX_PARALLELISM = 1 << 15;

    static final int[] MAX_PARALLELISMS = {128, 256, 4096, 32768};
    static final int[] PARALLELISMS = {1, 2, 3, 4, 7, 8, 100};

    // ---- Flink MathUtils -------------------------------------------------------------------------------

    static int murmurHash(int code) {
        code *= 0xcc9e2d51;
        code = Integer.rotateLeft(code, 15);
        code *= 0x1b873593;
        code = Integer.rotateLeft(code, 13);
        code = code * 5 + 0xe6546b64;
        code ^= 4;
        code = bitMix(code);
        if (code >= 0) {
            return code;
        } else if (code != Integer.MIN_VALUE) {
            return -code;
        } else {
            return 0;
        }
    }

    static int bitMix(int in) {
        in ^= in >>> 16;
        in *= 0x85ebca6b;
        in ^= in >>> 13;
        in *= 0xc2b2ae35;
        in ^= in >>> 16;
        return in;
    }

    static int roundUpToPowerOfTwo(int x) {
        x = x - 1;
        x |= x >> 1;
        x |= x >> 2;
        x |= x >> 4;
        x |= x >> 8;
        x |= x >> 16;
        return x + 1;
    }

    // ---- Flink KeyGroupRangeAssignment ----------------------------------------------------------------

    static int computeKeyGroupForKeyHash(int keyHash, int maxParallelism) {
        return murmurHash(keyHash) % maxParallelism;
    }

    static int computeOperatorIndexForKeyGroup(int maxParallelism, int parallelism, int keyGroupId) {
        return keyGroupId * parallelism / maxParallelism;
    }

    static void checkParallelismPreconditions(int parallelism) {
        if (!(parallelism > 0 && parallelism <= UPPER_BOUND_MAX_PARALLELISM)) {
            throw new IllegalArgumentException("Operator parallelism not within bounds: " + parallelism);
        }
    }

    static int[] computeKeyGroupRangeForOperatorIndex(int maxParallelism, int parallelism, int operatorIndex) {
        checkParallelismPreconditions(parallelism);
        checkParallelismPreconditions(maxParallelism);
        if (maxParallelism < parallelism) {
            throw new IllegalArgumentException("Maximum parallelism must not be smaller than parallelism.");
        }
        int start = ((operatorIndex * maxParallelism + parallelism - 1) / parallelism);
        int end = ((operatorIndex + 1) * maxParallelism - 1) / parallelism;
        return new int[] {start, end};
    }

    static int computeDefaultMaxParallelism(int operatorParallelism) {
        checkParallelismPreconditions(operatorParallelism);
        return Math.min(
                Math.max(
                        roundUpToPowerOfTwo(operatorParallelism + (operatorParallelism / 2)),
                        DEFAULT_LOWER_BOUND_MAX_PARALLELISM),
                UPPER_BOUND_MAX_PARALLELISM);
    }

    // ---- Inverse of the murmur mix, to find ints whose raw mix is Integer.MIN_VALUE (sign-fold edge) ----

    static int rawMix(int code) {
        code *= 0xcc9e2d51;
        code = Integer.rotateLeft(code, 15);
        code *= 0x1b873593;
        code = Integer.rotateLeft(code, 13);
        code = code * 5 + 0xe6546b64;
        code ^= 4;
        return bitMix(code);
    }

    static int inv(int odd) {
        BigInteger m = BigInteger.ONE.shiftLeft(32);
        return BigInteger.valueOf(odd & 0xffffffffL).modInverse(m).intValue();
    }

    static int unmix(int h) {
        h ^= h >>> 16;
        h *= inv(0xc2b2ae35);
        h ^= (h >>> 13) ^ (h >>> 26);
        h *= inv(0x85ebca6b);
        h ^= h >>> 16;
        h ^= 4;
        h = (h - 0xe6546b64) * inv(5);
        h = Integer.rotateRight(h, 13);
        h *= inv(0x1b873593);
        h = Integer.rotateRight(h, 15);
        h *= inv(0xcc9e2d51);
        return h;
    }

    // ---- Keys ---------------------------------------------------------------------------------------------

    static final class K {
        final String type;
        final String json;
        final int hash;

        K(String type, String json, int hash) {
            this.type = type;
            this.json = json;
            this.hash = hash;
        }
    }

    static String jsonString(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                b.append('\\').append(c);
            } else if (c >= 0x20 && c < 0x7f) {
                b.append(c);
            } else {
                b.append(String.format("\\u%04x", (int) c));
            }
        }
        return b.append('"').toString();
    }

    static K str(String s) {
        return new K("string", jsonString(s), s.hashCode());
    }

    static K integer(int v) {
        return new K("int", Integer.toString(v), Integer.hashCode(v));
    }

    static K lng(long v) {
        if (Math.abs(v) > (1L << 53) - 1) throw new IllegalArgumentException("not a safe integer: " + v);
        return new K("long", Long.toString(v), Long.hashCode(v));
    }

    public static void main(String[] args) {
        List<K> keys = new ArrayList<>();
        Random rnd = new Random(20240611L);

        String[] fixedStrings = {
            "", "a", "A", "Aa", "BB", "hello world", "user-0", "user-1", "user-2", "user-17", "user-99999",
            "/help", "/index", "/shop", "/jobs", "/about", "/news", "\u043a\u043b\u044e\u0447", "\u952e-7",
            "na\u00efve", "\ud83d\ude00", "emoji-\ud83d\ude80-key", "\ud800", "\u0000", "polygenelubricants",
            "a much longer key with several words, digits 0123456789 and punctuation !?;:",
            "\u00e9t\u00e9", "\u65e5\u672c\u8a9e\u30ad\u30fc", "\ud834\udd1e clef"
        };
        for (String s : fixedStrings) keys.add(str(s));
        String alphabet = "abcXYZ019-_/ .\u00e9\u00df\u0416\u4e2d\u20ac";
        for (int i = 0; i < 60; i++) {
            int len = rnd.nextInt(14);
            StringBuilder b = new StringBuilder();
            for (int j = 0; j < len; j++) {
                int pick = rnd.nextInt(alphabet.length() + 2);
                if (pick < alphabet.length()) {
                    b.append(alphabet.charAt(pick));
                } else {
                    b.appendCodePoint(0x10000 + rnd.nextInt(0x10ffff - 0x10000));
                }
            }
            keys.add(str(b.toString()));
        }

        int foldEdge = unmix(Integer.MIN_VALUE);
        if (rawMix(foldEdge) != Integer.MIN_VALUE || murmurHash(foldEdge) != 0) throw new AssertionError();
        int[] fixedInts = {
            0, 1, 2, 3, 4, 5, 7, 42, 127, 128, 1000, 65535, 65536, -1, -2, -42, -128, -65536,
            Integer.MAX_VALUE, Integer.MIN_VALUE, Integer.MAX_VALUE - 1, Integer.MIN_VALUE + 1,
            foldEdge, unmix(Integer.MIN_VALUE + 1), unmix(-1), unmix(Integer.MAX_VALUE)
        };
        for (int v : fixedInts) keys.add(integer(v));
        for (int i = 0; i < 60; i++) keys.add(integer(rnd.nextInt()));

        long max = (1L << 53) - 1;
        long[] fixedLongs = {
            0L, 1L, -1L, 2L, 42L, -42L, 2147483647L, 2147483648L, -2147483648L, -2147483649L,
            4294967295L, 4294967296L, 4294967297L, -4294967295L, -4294967296L, -4294967297L,
            (1L << 40) + 12345L, -(1L << 40) - 12345L, 1L << 52, -(1L << 52), max, -max, max - 1, -max + 1,
            1234567890123L, -987654321098L, 1000000000000000L, 1700000000000L
        };
        for (long v : fixedLongs) keys.add(lng(v));
        for (int i = 0; i < 60; i++) {
            long v = rnd.nextLong() % (max + 1);
            keys.add(lng(v));
        }

        StringBuilder out = new StringBuilder();
        out.append("{\n");
        out.append("  \"generator\": \"engine/state/testdata/KeyGroupVectors.java on Java ")
                .append(System.getProperty("java.specification.version"))
                .append("\",\n");
        out.append("  \"maxParallelisms\": [128, 256, 4096, 32768],\n");
        out.append("  \"parallelisms\": [1, 2, 3, 4, 7, 8, 100],\n");
        out.append("  \"keys\": [\n");
        for (int k = 0; k < keys.size(); k++) {
            K key = keys.get(k);
            int murmur = murmurHash(key.hash);
            StringBuilder kgs = new StringBuilder();
            StringBuilder ops = new StringBuilder();
            for (int m = 0; m < MAX_PARALLELISMS.length; m++) {
                int maxP = MAX_PARALLELISMS[m];
                int kg = computeKeyGroupForKeyHash(key.hash, maxP);
                if (m > 0) {
                    kgs.append(", ");
                    ops.append(", ");
                }
                kgs.append(kg);
                ops.append('[');
                for (int p = 0; p < PARALLELISMS.length; p++) {
                    if (p > 0) ops.append(", ");
                    ops.append(computeOperatorIndexForKeyGroup(maxP, PARALLELISMS[p], kg));
                }
                ops.append(']');
            }
            out.append("    {\"type\": \"").append(key.type).append("\", \"key\": ").append(key.json)
                    .append(", \"hashCode\": ").append(key.hash)
                    .append(", \"murmur\": ").append(murmur)
                    .append(", \"keyGroups\": [").append(kgs)
                    .append("], \"operators\": [").append(ops).append("]}")
                    .append(k + 1 < keys.size() ? ",\n" : "\n");
        }
        out.append("  ],\n");

        int[] defaultPs = {
            1, 2, 3, 4, 7, 8, 42, 85, 86, 100, 127, 128, 170, 171, 172, 200, 256, 1000, 10922, 10923, 21845,
            21846, 30000, 32767, 32768, 32769, 0, -1, 65536
        };
        out.append("  \"defaultMaxParallelism\": [\n");
        for (int i = 0; i < defaultPs.length; i++) {
            int p = defaultPs[i];
            out.append("    {\"p\": ").append(p);
            try {
                int maxP = computeDefaultMaxParallelism(p);
                out.append(", \"maxParallelism\": ").append(maxP);
            } catch (IllegalArgumentException e) {
                out.append(", \"error\": ").append(jsonString(e.getMessage()));
            }
            out.append(i + 1 < defaultPs.length ? "},\n" : "}\n");
        }
        out.append("  ],\n");

        int[] rangePs = {1, 2, 3, 4, 5, 7, 8, 100, 127, 128, 129, 1000};
        List<String> ranges = new ArrayList<>();
        for (int maxP : MAX_PARALLELISMS) {
            for (int p : rangePs) {
                StringBuilder r = new StringBuilder();
                r.append("    {\"maxParallelism\": ").append(maxP).append(", \"parallelism\": ").append(p);
                try {
                    StringBuilder rs = new StringBuilder();
                    for (int i = 0; i < p; i++) {
                        int[] range = computeKeyGroupRangeForOperatorIndex(maxP, p, i);
                        if (i > 0) rs.append(", ");
                        rs.append('[').append(range[0]).append(", ").append(range[1]).append(']');
                    }
                    r.append(", \"ranges\": [").append(rs).append("]}");
                } catch (IllegalArgumentException e) {
                    r.append(", \"error\": ").append(jsonString(e.getMessage())).append('}');
                }
                ranges.add(r.toString());
            }
        }
        out.append("  \"keyGroupRanges\": [\n").append(String.join(",\n", ranges)).append("\n  ]\n");
        out.append("}\n");
        System.out.print(out);
    }
}
