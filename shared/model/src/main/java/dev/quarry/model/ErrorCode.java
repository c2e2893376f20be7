package dev.quarry.model;

/** Why a document failed, or what it was warned about. Stable: clients may switch on it. */
public enum ErrorCode {
    EMPTY_FILE,
    NOT_A_PDF,
    TOO_LARGE,
    TOO_MANY_PAGES,
    ENCRYPTED,
    MALFORMED,
    NO_TEXT,
    TIMEOUT,
    MODEL_MISMATCH,
    /** The document was created through the API but its bytes never arrived before the upload URL expired. */
    UPLOAD_EXPIRED,
    /** A store refused the function's credentials or policy (403): fix the role's permissions, then upload again. */
    ACCESS_DENIED,
    /** The embedding model refused the request (key, model id, access, invalid input): retrying cannot help. */
    MODEL_REJECTED,
    /** A service the pipeline needs kept failing (throttling, 5xx, timeouts) through every retry. */
    UNAVAILABLE,
    /** A defect, or a work file of the version that is missing or corrupt: the reason says which. */
    INTERNAL
}
