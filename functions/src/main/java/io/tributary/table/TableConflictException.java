package io.tributary.table;

/** A commit that cannot be made on the table as another writer left it: a real conflict, not a lost race. */
public final class TableConflictException extends RuntimeException {

    public TableConflictException(String message) {
        super(message);
    }
}
