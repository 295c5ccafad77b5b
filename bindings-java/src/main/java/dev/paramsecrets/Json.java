package dev.paramsecrets;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.paramsecrets.ffi.JsonMember;
import dev.paramsecrets.ffi.JsonValue;

/**
 * Converts the JSON value core parsed ({@code transform::json}) into plain Java: {@code null},
 * {@link Boolean}, {@link Long}, {@link BigInteger} (above {@code Long.MAX_VALUE}), {@link Double},
 * {@link String}, unmodifiable {@link List} and {@link Map} (keys in document order).
 */
final class Json {
    private Json() {}

    static Object toJava(JsonValue v) {
        return switch (v) {
            case JsonValue.NullValue n -> null;
            case JsonValue.BoolValue b -> b.value();
            case JsonValue.IntValue i -> i.value();
            case JsonValue.UintValue u -> new BigInteger(Long.toUnsignedString(u.value()));
            case JsonValue.FloatValue f -> f.value();
            case JsonValue.TextValue s -> s.value();
            case JsonValue.ArrayValue a -> {
                List<Object> out = new ArrayList<>(a.items().size());
                for (JsonValue item : a.items()) {
                    out.add(toJava(item));
                }
                yield Collections.unmodifiableList(out);
            }
            case JsonValue.ObjectValue o -> {
                Map<String, Object> out = new LinkedHashMap<>();
                for (JsonMember m : o.members()) {
                    out.put(m.key(), toJava(m.value()));
                }
                yield Collections.unmodifiableMap(out);
            }
        };
    }
}
