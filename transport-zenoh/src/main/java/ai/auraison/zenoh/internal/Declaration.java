package ai.auraison.zenoh.internal;

/** The body of a Declare message: one declaration or undeclaration. */
public sealed interface Declaration {

    int D_KEYEXPR = 0x00;
    int U_KEYEXPR = 0x01;
    int D_SUBSCRIBER = 0x02;
    int U_SUBSCRIBER = 0x03;
    int D_QUERYABLE = 0x04;
    int U_QUERYABLE = 0x05;
    int D_TOKEN = 0x06;
    int U_TOKEN = 0x07;
    int D_FINAL = 0x1A;

    record DeclareKeyExpr(int id, WireExpr key) implements Declaration {}

    record UndeclareKeyExpr(int id) implements Declaration {}

    record DeclareSubscriber(long id, WireExpr key) implements Declaration {}

    /** {@code key} is {@link WireExpr#NONE} when the optional extension is absent. */
    record UndeclareSubscriber(long id, WireExpr key) implements Declaration {}

    record DeclareQueryable(long id, WireExpr key, boolean complete, int distance) implements Declaration {}

    record UndeclareQueryable(long id, WireExpr key) implements Declaration {}

    record DeclareToken(long id, WireExpr key) implements Declaration {}

    record UndeclareToken(long id, WireExpr key) implements Declaration {}

    /** Ends the declarations that answer an Interest. */
    record DeclareFinal() implements Declaration {}
}
