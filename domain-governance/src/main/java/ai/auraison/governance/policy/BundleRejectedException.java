package ai.auraison.governance.policy;

/** A policy bundle that must not be installed: bad signature, unknown key, wrong format or tenant, or a rollback. */
public final class BundleRejectedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public BundleRejectedException(String message) {
        super(message);
    }
}
