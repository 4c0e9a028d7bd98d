package io.jasyncio.transformer;

import java.util.List;
import java.util.stream.Collectors;

/** A class cannot be woven; {@link #problems()} says why, each with its source file and line. */
public final class TransformException extends Exception {
    private static final long serialVersionUID = 1L;
    private final transient List<Problem> problems;

    /**
     * Creates the exception.
     *
     * @param problems what is wrong; at least one
     */
    public TransformException(List<Problem> problems) {
        super(problems.stream().map(Problem::format).collect(Collectors.joining(System.lineSeparator())));
        this.problems = List.copyOf(problems);
    }

    /**
     * Creates the exception for an unexpected failure while weaving a class.
     *
     * @param problem what was being done
     * @param cause the failure
     */
    public TransformException(Problem problem, Throwable cause) {
        super(problem.format(), cause);
        this.problems = List.of(problem);
    }

    /** {@return every problem found, in the order of the class file} */
    public List<Problem> problems() {
        return problems;
    }
}
