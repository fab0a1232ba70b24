package dev.wasmota.routes;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * Many offline vehicles' broker sessions, made cheaply: for each, one MQTT 5 CONNECT (clean start
 * off, a session expiry), one SUBSCRIBE at QoS 1 and a normal DISCONNECT over a plain socket, so the
 * broker keeps a session that queues what is published to it, as for a parked vehicle, without a
 * Paho client (four threads each) per vehicle. Tests only.
 */
final class RawSessions {
    private RawSessions() {
    }

    /** Leaves a persistent session {@code clientId} subscribed to {@code filter} at {@code host:port}. */
    static void park(String host, int port, String clientId, String filter, long expirySeconds) throws IOException {
        try (Socket s = new Socket(host, port)) {
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            DataInputStream in = new DataInputStream(s.getInputStream());
            ByteArrayOutputStream v = new ByteArrayOutputStream();
            string(v, "MQTT");
            v.write(5);
            v.write(0x00);
            v.write(0);
            v.write(60);
            v.write(5);
            v.write(0x11);
            v.write((int) (expirySeconds >>> 24));
            v.write((int) (expirySeconds >>> 16));
            v.write((int) (expirySeconds >>> 8));
            v.write((int) expirySeconds);
            string(v, clientId);
            packet(out, 0x10, v.toByteArray());
            expect(in, 0x20, "CONNACK");
            ByteArrayOutputStream sub = new ByteArrayOutputStream();
            sub.write(0);
            sub.write(1);
            sub.write(0);
            string(sub, filter);
            sub.write(1);
            packet(out, 0x82, sub.toByteArray());
            byte[] suback = expect(in, 0x90, "SUBACK");
            if (suback[suback.length - 1] != 1) {
                throw new IOException("subscription to " + filter + " not granted at QoS 1: reason " + suback[suback.length - 1]);
            }
            packet(out, 0xE0, new byte[] {0, 0});
            out.flush();
        }
    }

    private static byte[] expect(DataInputStream in, int type, String what) throws IOException {
        int t = in.readUnsignedByte();
        int len = 0;
        for (int shift = 0; ; shift += 7) {
            int b = in.readUnsignedByte();
            len |= (b & 0x7f) << shift;
            if ((b & 0x80) == 0) {
                break;
            }
        }
        byte[] body = new byte[len];
        in.readFully(body);
        if ((t & 0xf0) != type) {
            throw new IOException("expected " + what + ", got packet type " + (t >> 4));
        }
        if (type == 0x20 && body.length > 1 && body[1] != 0) {
            throw new IOException("connection refused: reason " + (body[1] & 0xff));
        }
        return body;
    }

    private static void packet(OutputStream out, int header, byte[] body) throws IOException {
        ByteArrayOutputStream p = new ByteArrayOutputStream();
        p.write(header);
        int len = body.length;
        do {
            int b = len & 0x7f;
            len >>>= 7;
            p.write(len > 0 ? b | 0x80 : b);
        } while (len > 0);
        p.writeBytes(body);
        out.write(p.toByteArray());
    }

    private static void string(ByteArrayOutputStream b, String s) {
        byte[] u = s.getBytes(StandardCharsets.UTF_8);
        b.write(u.length >>> 8);
        b.write(u.length);
        b.writeBytes(u);
    }
}
