package dev.wasmota.signing.manifest;

import dev.wasmota.signing.error.PolicyFailure;
import dev.wasmota.contract.error.RejectedException;
import java.util.Locale;
import java.util.Set;

/**
 * One capability of the CONTRACT grammar: what a module may ask of the host. Parsed into types so
 * that the host's checks compare numbers, never strings.
 */
public sealed interface Capability
        permits Capability.Log, Capability.Clock, Capability.CanRead, Capability.CanWrite, Capability.I2c {

    /** Largest CAN identifier (29-bit extended frame format). */
    int MAX_CAN_ID = 0x1FFF_FFFF;
    /** Largest I2C bus number accepted. */
    int MAX_I2C_BUS = 255;
    /** Largest 7-bit I2C address. */
    int MAX_I2C_ADDRESS = 0x7F;
    /** Longest capability text accepted before parsing. */
    int MAX_TEXT_LENGTH = 64;

    /** The canonical text: lowercase, hex without {@code 0x}, a single id without a range. */
    String canonical();

    /** The {@code ecu} import names this capability grants. */
    Set<String> grantedImports();

    /** Grants {@code ecu.log}. */
    record Log() implements Capability {
        @Override
        public String canonical() {
            return "log";
        }

        @Override
        public Set<String> grantedImports() {
            return EcuAbi.importsGrantedBy("log");
        }
    }

    /** Grants {@code ecu.clock_us}. */
    record Clock() implements Capability {
        @Override
        public String canonical() {
            return "clock";
        }

        @Override
        public Set<String> grantedImports() {
            return EcuAbi.importsGrantedBy("clock");
        }
    }

    /** Grants {@code ecu.can_read} for CAN ids {@code lo..hi} inclusive. */
    record CanRead(int lo, int hi) implements Capability {
        public CanRead {
            checkRange(lo, hi);
        }

        @Override
        public String canonical() {
            return "can.read:" + rangeText(lo, hi);
        }

        @Override
        public Set<String> grantedImports() {
            return EcuAbi.importsGrantedBy("can.read");
        }
    }

    /** Grants {@code ecu.can_write} for CAN ids {@code lo..hi} inclusive. */
    record CanWrite(int lo, int hi) implements Capability {
        public CanWrite {
            checkRange(lo, hi);
        }

        @Override
        public String canonical() {
            return "can.write:" + rangeText(lo, hi);
        }

        @Override
        public Set<String> grantedImports() {
            return EcuAbi.importsGrantedBy("can.write");
        }
    }

    /** Grants {@code ecu.i2c_read} and {@code ecu.i2c_write} on one bus and 7-bit address. */
    record I2c(int bus, int address) implements Capability {
        public I2c {
            if (bus < 0 || bus > MAX_I2C_BUS) {
                throw malformed("i2c bus " + bus + " is outside 0.." + MAX_I2C_BUS);
            }
            if (address < 0 || address > MAX_I2C_ADDRESS) {
                throw malformed("i2c address 0x" + Integer.toHexString(address) + " is not a 7-bit address");
            }
        }

        @Override
        public String canonical() {
            return "i2c:" + bus + ":" + Integer.toHexString(address);
        }

        @Override
        public Set<String> grantedImports() {
            return EcuAbi.importsGrantedBy("i2c");
        }
    }

    /**
     * Parses one capability: {@code log}, {@code clock}, {@code can.read:LO-HI}, {@code can.read:ID},
     * {@code can.write:LO-HI}, {@code can.write:ID}, {@code i2c:BUS:ADDR}. CAN ids and I2C addresses
     * are hex (an optional {@code 0x} is accepted), the bus is decimal.
     *
     * @throws RejectedException {@link PolicyFailure#MALFORMED_CAPABILITY} with the reason
     */
    static Capability parse(String text) {
        if (text == null || text.isEmpty()) {
            throw malformed("empty capability");
        }
        if (text.length() > MAX_TEXT_LENGTH) {
            throw malformed("capability '" + text.substring(0, 16) + "...' is longer than " + MAX_TEXT_LENGTH + " characters");
        }
        String t = text.strip().toLowerCase(Locale.ROOT);
        if (t.equals("log")) {
            return new Log();
        }
        if (t.equals("clock")) {
            return new Clock();
        }
        if (t.startsWith("can.read:")) {
            int[] r = parseRange(t.substring("can.read:".length()), text);
            return new CanRead(r[0], r[1]);
        }
        if (t.startsWith("can.write:")) {
            int[] r = parseRange(t.substring("can.write:".length()), text);
            return new CanWrite(r[0], r[1]);
        }
        if (t.startsWith("i2c:")) {
            String[] parts = t.substring("i2c:".length()).split(":", -1);
            if (parts.length != 2) {
                throw malformed("'" + text + "' is not i2c:BUS:ADDR");
            }
            return new I2c(parseDecimal(parts[0], text), parseHex(parts[1], MAX_I2C_ADDRESS, text));
        }
        throw malformed("unknown capability '" + text + "' (expected log, clock, can.read:LO-HI, can.write:LO-HI, i2c:BUS:ADDR)");
    }

    private static int[] parseRange(String range, String text) {
        String[] parts = range.split("-", -1);
        if (parts.length == 1) {
            int id = parseHex(parts[0], MAX_CAN_ID, text);
            return new int[] {id, id};
        }
        if (parts.length != 2) {
            throw malformed("'" + text + "' has a malformed CAN id range (expected LO-HI in hex)");
        }
        int lo = parseHex(parts[0], MAX_CAN_ID, text);
        int hi = parseHex(parts[1], MAX_CAN_ID, text);
        if (lo > hi) {
            throw malformed("'" + text + "' has LO above HI");
        }
        return new int[] {lo, hi};
    }

    private static int parseHex(String s, int max, String text) {
        String digits = s.startsWith("0x") ? s.substring(2) : s;
        if (digits.isEmpty() || digits.length() > 8 || !digits.chars().allMatch(c -> (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
            throw malformed("'" + s + "' in '" + text + "' is not a hex number");
        }
        long v = Long.parseLong(digits, 16);
        if (v > max) {
            throw malformed("'" + s + "' in '" + text + "' exceeds 0x" + Integer.toHexString(max));
        }
        return (int) v;
    }

    private static int parseDecimal(String s, String text) {
        if (s.isEmpty() || s.length() > 3 || !s.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw malformed("'" + s + "' in '" + text + "' is not a decimal bus number");
        }
        int v = Integer.parseInt(s);
        if (v > MAX_I2C_BUS) {
            throw malformed("'" + s + "' in '" + text + "' exceeds " + MAX_I2C_BUS);
        }
        return v;
    }

    private static void checkRange(int lo, int hi) {
        if (lo < 0 || hi > MAX_CAN_ID || lo > hi) {
            throw malformed("CAN id range " + rangeText(lo, hi) + " is empty or outside 0..1fffffff");
        }
    }

    private static String rangeText(int lo, int hi) {
        return lo == hi ? Integer.toHexString(lo) : Integer.toHexString(lo) + "-" + Integer.toHexString(hi);
    }

    private static RejectedException malformed(String detail) {
        return new RejectedException(PolicyFailure.MALFORMED_CAPABILITY, detail);
    }
}
