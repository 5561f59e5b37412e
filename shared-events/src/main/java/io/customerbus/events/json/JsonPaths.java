package io.customerbus.events.json;

import com.fasterxml.jackson.databind.JsonMappingException;
import java.util.stream.Collectors;

/** The field a Jackson failure is about, as a dotted path ({@code data.quantity}), or {@code $}. */
public final class JsonPaths {

    private JsonPaths() {}

    public static String of(JsonMappingException failure) {
        String path =
                failure.getPath().stream()
                        .map(
                                ref ->
                                        ref.getFieldName() != null
                                                ? ref.getFieldName()
                                                : "[" + ref.getIndex() + "]")
                        .collect(Collectors.joining("."));
        return path.isEmpty() ? "$" : path;
    }
}
