package dev.wasmota.oem.api;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

/**
 * A page of a list resource: at most {@link #limit} items after an opaque cursor (the last key of
 * the page before). Cursor paging keeps each response bounded and stable while the fleet grows.
 *
 * @param after the key after which this page starts; empty for the first page
 * @param limit how many items at most ({@value #MAX_LIMIT} at most)
 */
public record PageRequest(Optional<String> after, int limit) {
    public static final int DEFAULT_LIMIT = 100;
    public static final int MAX_LIMIT = 500;
    private static final String PREFIX = "c1:";

    /**
     * Parses the {@code cursor} and {@code limit} query parameters.
     *
     * @throws FieldRejected ({@link ApiFailure#INVALID_PARAMETER}) naming the parameter
     */
    public static PageRequest parse(Object cursor, Object limit) {
        int n = DEFAULT_LIMIT;
        if (limit != null && !limit.toString().isEmpty()) {
            try {
                n = Integer.parseInt(limit.toString());
            } catch (NumberFormatException e) {
                n = -1;
            }
            if (n < 1 || n > MAX_LIMIT) {
                throw new FieldRejected(ApiFailure.INVALID_PARAMETER, "limit",
                        "limit '" + clip(limit.toString()) + "' is not a whole number within 1.." + MAX_LIMIT);
            }
        }
        return new PageRequest(cursor == null || cursor.toString().isEmpty() ? Optional.empty()
                : Optional.of(decode(cursor.toString())), n);
    }

    /** The cursor that continues after {@code key}. */
    public static String cursor(String key) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString((PREFIX + key).getBytes(StandardCharsets.UTF_8));
    }

    private static String decode(String cursor) {
        try {
            String text = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
            if (text.startsWith(PREFIX) && text.length() <= 200) {
                return text.substring(PREFIX.length());
            }
        } catch (IllegalArgumentException e) {
            // refused below
        }
        throw new FieldRejected(ApiFailure.INVALID_PARAMETER, "cursor", "cursor '" + clip(cursor)
                + "' is not one this API gave out");
    }

    static String clip(String s) {
        return s.length() > 64 ? s.substring(0, 64) + "..." : s;
    }
}
