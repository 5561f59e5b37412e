package io.customerbus.runtime.operations;

/** Who acts on the bus, and with which tool: what the {@link AuditLog} records. */
public record Actor(String who, String tool) {

    /** The operating-system user running a command-line tool. */
    public static Actor localUser(String tool) {
        return new Actor(System.getProperty("user.name", "unknown"), tool);
    }
}
