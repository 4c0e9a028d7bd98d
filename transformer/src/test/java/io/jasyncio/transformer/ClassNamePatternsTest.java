package io.jasyncio.transformer;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

class ClassNamePatternsTest {
    @Test
    void noPatterns_everyClass() {
        assertTrue(ClassNamePatterns.of(List.of(), List.of()).test("a.B"));
        assertTrue(ClassNamePatterns.of(null, null).test("B"));
    }

    @Test
    void oneStar_withinASegment_twoStars_acrossSegments() {
        Predicate<String> pkg = ClassNamePatterns.of(List.of("com.acme.*"), List.of());
        assertTrue(pkg.test("com.acme.Fetcher"));
        assertTrue(pkg.test("com.acme.Fetcher$Inner"));
        assertFalse(pkg.test("com.acme.sub.Fetcher"));
        assertFalse(pkg.test("com.acmeX.Fetcher"));
        Predicate<String> tree = ClassNamePatterns.of(List.of("com.acme.**"), List.of());
        assertTrue(tree.test("com.acme.sub.deep.Fetcher"));
        assertFalse(tree.test("org.acme.Fetcher"));
        Predicate<String> tests = ClassNamePatterns.of(List.of("**.*Test"), List.of());
        assertTrue(tests.test("a.b.FooTest"));
        assertFalse(tests.test("a.b.FooTests"));
    }

    @Test
    void excludesWinOverIncludes() {
        Predicate<String> p = ClassNamePatterns.of(List.of("com.acme.**"), List.of("com.acme.gen.**", "**.Legacy"));
        assertTrue(p.test("com.acme.App"));
        assertFalse(p.test("com.acme.gen.Stub"));
        assertFalse(p.test("com.acme.old.Legacy"));
        assertFalse(ClassNamePatterns.of(List.of(), List.of("x.*")).test("x.Y"));
    }

    @Test
    void otherCharactersMatchThemselves() {
        Predicate<String> p = ClassNamePatterns.of(List.of("a.B$C"), List.of());
        assertTrue(p.test("a.B$C"));
        assertFalse(p.test("aXB$C"));
    }
}
