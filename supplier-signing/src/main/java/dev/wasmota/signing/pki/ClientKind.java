package dev.wasmota.signing.pki;

import dev.wasmota.signing.error.PolicyFailure;
import dev.wasmota.contract.error.RejectedException;
import dev.wasmota.signing.manifest.Manifest;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Who a TLS client certificate names: its CN is {@code prefix + "/" + name}, e.g.
 * {@code vehicle/VIN123}, {@code oem/serve-1}, {@code supplier/acme}, {@code operator/alice}. Names never hold {@code /},
 * {@code +} or {@code #}, so the CN is safe in MQTT topic ACLs (Mosquitto's {@code %u}).
 */
public enum ClientKind {
    /** A vehicle; its name is the vehicle id (as in campaign instructions). */
    VEHICLE("vehicle", Manifest.HARDWARE_ID),
    /** A supplier's service; its name is the supplier id (as enrolled). */
    SUPPLIER("supplier", Manifest.ID),
    /** One of the OEM's own services. */
    OEM("oem", Manifest.HARDWARE_ID),
    /** A person who steers campaigns through the OEM's management API; never a broker client. */
    OPERATOR("operator", Manifest.HARDWARE_ID),
    /** A person who only reads the OEM's management API; never a broker client. */
    VIEWER("viewer", Manifest.HARDWARE_ID);

    private final String prefix;
    private final Pattern names;

    ClientKind(String prefix, Pattern names) {
        this.prefix = prefix;
        this.names = names;
    }

    public String prefix() {
        return prefix;
    }

    /** What a name of this kind must match. */
    public Pattern namePattern() {
        return names;
    }

    /**
     * The CN for {@code name}.
     *
     * @throws RejectedException with {@link PolicyFailure#MALFORMED_KEY_MATERIAL} if the name does not match
     */
    public String commonName(String name) {
        if (name == null || !names.matcher(name).matches()) {
            throw new RejectedException(PolicyFailure.MALFORMED_KEY_MATERIAL,
                    prefix + " name '" + name + "' is not " + names.pattern());
        }
        return prefix + "/" + name;
    }

    /** Parses a CN such as {@code vehicle/VIN1} back into its kind and name; empty if it is not one. */
    public static Optional<Map.Entry<ClientKind, String>> parse(String commonName) {
        if (commonName == null) {
            return Optional.empty();
        }
        int slash = commonName.indexOf('/');
        String name = commonName.substring(slash + 1);
        for (ClientKind kind : values()) {
            if (slash == kind.prefix.length() && commonName.startsWith(kind.prefix) && kind.names.matcher(name).matches()) {
                return Optional.of(Map.entry(kind, name));
            }
        }
        return Optional.empty();
    }
}
