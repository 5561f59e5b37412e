package io.customerbus.cli;

/** Exit codes scripts can rely on. */
public final class ExitCodes {

    public static final int OK = 0;
    public static final int FAILED = 1;

    /** Picocli's own code for a bad command line. */
    public static final int USAGE = 2;

    public static final int BROKER_UNREACHABLE = 3;
    public static final int NOT_FOUND = 4;
    public static final int CONFLICT = 5;

    /** Done, but not in the audit log: not to be repeated (a re-drive would send again). */
    public static final int NOT_AUDITED = 6;

    private ExitCodes() {}
}
