package io.jasyncio.transformer.internal;

/**
 * What the emission passes of one coroutine share: where its body lives and how its locals are laid out. The body
 * keeps the original parameters ({@code this} first for an instance method) in their slots, takes its own four
 * parameters after them (frame, value, exception, task), and moves every other original local past those four.
 *
 * @param owner the internal name of the class that declares the coroutine
 * @param ownerIsInterface whether that class is an interface (calls of the body need the interface flag)
 * @param frameClass the internal name of the coroutine's frame class
 * @param bodyName the body method's name
 * @param bodyDesc the body method's descriptor
 * @param paramSlots the slots of the original parameters, {@code this} included
 */
record BodyLayout(String owner, boolean ownerIsInterface, String frameClass, String bodyName, String bodyDesc,
                  int paramSlots) {
    /** The body's frame parameter: {@code null} when the body was called directly. */
    int frameSlot() {
        return paramSlots;
    }

    /** The value a resumption brings (the awaited result). */
    int valueSlot() {
        return paramSlots + 1;
    }

    /** The exception a resumption brings, thrown at the await. */
    int exceptionSlot() {
        return paramSlots + 2;
    }

    /** The task the body runs in. */
    int taskSlot() {
        return paramSlots + 3;
    }

    /** The body's slot of an original local: parameters stay, the others move past the body's own parameters. */
    int bodySlot(int original) {
        return original < paramSlots ? original : original + Names.BODY_PARAMS;
    }
}
