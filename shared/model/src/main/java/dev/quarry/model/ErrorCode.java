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
    INTERNAL
}
