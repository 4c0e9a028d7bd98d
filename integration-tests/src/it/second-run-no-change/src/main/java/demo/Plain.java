package demo;

/** Does not use jasyncio: never rewritten. */
public class Plain {
    public int answer() {
        return 42;
    }
}
