package dev.wasmota.signing.pki;

import dev.wasmota.signing.error.PolicyFailure;
import dev.wasmota.contract.error.RejectedException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.util.IPAddress;

/** The subject alternative names of a broker certificate, checked without any name lookup. */
final class BrokerNames {
    private static final Pattern DNS_NAME =
            Pattern.compile("(?=.{1,253}$)[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*");

    private BrokerNames() {
    }

    static GeneralNames of(List<String> dnsNames, List<String> ipAddresses) {
        List<GeneralName> names = new ArrayList<>();
        for (String dns : dnsNames) {
            require(dns != null && DNS_NAME.matcher(dns).matches(), "broker DNS name '" + dns + "' is not a host name");
            names.add(new GeneralName(GeneralName.dNSName, dns));
        }
        for (String ip : ipAddresses) {
            require(ip != null && (IPAddress.isValidIPv4(ip) || IPAddress.isValidIPv6(ip)),
                    "broker address '" + ip + "' is not an IPv4 or IPv6 literal");
            names.add(new GeneralName(GeneralName.iPAddress, ip));
        }
        require(!names.isEmpty(), "a broker certificate needs at least one DNS name or IP address");
        return new GeneralNames(names.toArray(GeneralName[]::new));
    }

    private static void require(boolean ok, String detail) {
        if (!ok) {
            throw new RejectedException(PolicyFailure.MALFORMED_KEY_MATERIAL, detail);
        }
    }
}
