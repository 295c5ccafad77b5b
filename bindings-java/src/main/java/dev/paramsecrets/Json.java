package dev.paramsecrets;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Decodes the JSON value core parsed ({@code transform::json}), in the compact encoding of
 * bindings-java/src/types.rs ({@code encode_json}), into plain Java: {@code null},
 * {@link Boolean}, {@link Long}, {@link BigInteger} (above {@code Long.MAX_VALUE}), {@link Double},
 * {@link String}, unmodifiable {@link List} and {@link Map} (keys in document order).
 */
final class Json {
    private static final byte NULL = 0, FALSE = 1, TRUE = 2, INT = 3, UINT = 4, FLOAT = 5, TEXT = 6, ARRAY = 7,
            OBJECT = 8;

    private Json() {}

    static Object decode(byte[] encoded) {
        ByteBuffer in = ByteBuffer.wrap(encoded);
        Object v = read(in);
        if (in.hasRemaining()) {
            throw new IllegalStateException("paramsecrets: trailing bytes after a JSON value");
        }
        return v;
    }

    private static Object read(ByteBuffer in) {
        byte tag = in.get();
        switch (tag) {
            case NULL: return null;
            case FALSE: return Boolean.FALSE;
            case TRUE: return Boolean.TRUE;
            case INT: return in.getLong();
            case UINT: return new BigInteger(Long.toUnsignedString(in.getLong()));
            case FLOAT: return in.getDouble();
            case TEXT: return text(in);
            case ARRAY: {
                int n = in.getInt();
                List<Object> out = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    out.add(read(in));
                }
                return Collections.unmodifiableList(out);
            }
            case OBJECT: {
                int n = in.getInt();
                Map<String, Object> out = new LinkedHashMap<>();
                for (int i = 0; i < n; i++) {
                    String key = text(in);
                    out.put(key, read(in));
                }
                return Collections.unmodifiableMap(out);
            }
            default: throw new IllegalStateException("paramsecrets: unknown JSON tag " + tag);
        }
    }

    private static String text(ByteBuffer in) {
        int n = in.getInt();
        String s = new String(in.array(), in.arrayOffset() + in.position(), n, StandardCharsets.UTF_8);
        in.position(in.position() + n);
        return s;
    }
}
