package dev.wasmota.broker;

/** A broker could not be configured, started or stopped; the message is a one-line reason. */
public class BrokerException extends RuntimeException {

    public BrokerException(String message) {
        super(message);
    }

    public BrokerException(String message, Throwable cause) {
        super(message, cause);
    }
}
