package io.jasyncio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.NoSuchElementException;
import org.junit.jupiter.api.Test;

/** ContextVar and Context outside and inside tasks (SEMANTICS 13), with hand-written frames. */
class ContextVarTest extends LoopTestBase {
    private static final ContextVar<String> NAME = new ContextVar<>("name");
    private static final ContextVar<Integer> COUNT = new ContextVar<>("count", 0);

    @Test
    void get_withoutValueOrDefault_throwsNoSuchElement_andTheFallbackWins() {
        Context c = new Context();
        c.run(() -> {
            NoSuchElementException e = assertThrows(NoSuchElementException.class, NAME::get);
            assertTrue(e.getMessage().contains("'name'"), e.getMessage());
            assertEquals("fallback", NAME.get("fallback"));
            assertEquals(0, COUNT.get());
            assertEquals(7, COUNT.get(7)); // python: ContextVar('c', default=0).get(7) == 7
        });
    }

    @Test
    void setAndReset_restoreThePreviousValue_onceOnly() {
        new Context().run(() -> {
            ContextVar.Token<String> first = NAME.set("a");
            assertFalse(first.hadValue());
            ContextVar.Token<String> second = NAME.set("b");
            assertTrue(second.hadValue());
            assertEquals("a", second.oldValue());
            NAME.reset(second);
            assertEquals("a", NAME.get());
            assertThrows(IllegalStateException.class, () -> NAME.reset(second));
            NAME.reset(first);
            assertFalse(Context.copyContext().contains(NAME));
        });
    }

    @Test
    void reset_inAnotherContext_throws() {
        Context a = new Context();
        ContextVar.Token<?>[] token = new ContextVar.Token<?>[1];
        a.run(() -> token[0] = NAME.set("x"));
        @SuppressWarnings("unchecked") ContextVar.Token<String> t = (ContextVar.Token<String>) token[0];
        new Context().run(() -> assertThrows(IllegalArgumentException.class, () -> NAME.reset(t)));
        assertEquals("x", a.get(NAME));
    }

    @Test
    void copyContext_isASnapshot() {
        Context a = new Context();
        a.run(() -> {
            NAME.set("before");
            Context copy = Context.copyContext();
            NAME.set("after");
            assertEquals("before", copy.get(NAME));
            assertEquals("after", NAME.get());
        });
        assertEquals("after", a.get(NAME));
        assertNull(new Context().get(NAME));
    }

    @Test
    void run_ofAContextAlreadyEntered_throws() {
        Context a = new Context();
        a.run(() -> assertThrows(IllegalStateException.class, () -> a.run(() -> { })));
    }

    @Test
    void task_startsFromACopyOfItsCreatorsContext_andItsChangesStayInIt() {
        Context creator = new Context();
        Task<?>[] task = new Task<?>[1];
        creator.run(() -> {
            NAME.set("creator");
            task[0] = loop.createTask(Body.of(() -> {
                assertEquals("creator", NAME.get());
                NAME.set("task");
                return NAME.get();
            }));
        });
        assertEquals("task", loop.runUntilComplete(task[0]));
        assertEquals("creator", creator.get(NAME));
        assertEquals("task", task[0].getContext().get(NAME));
    }

    @Test
    void createTask_withAContext_runsInThatContextItself() {
        Context given = new Context();
        Task<String> t = loop.createTask(Body.of(() -> {
            NAME.set("set by the task");
            return "ok";
        }), "t", given);
        loop.runUntilComplete(t);
        assertEquals("set by the task", given.get(NAME));
        assertTrue(t.getContext() == given);
    }

    @Test
    void callSoon_runsInTheContextCurrentWhenItWasScheduled() {
        Context a = new Context();
        String[] seen = new String[2];
        a.run(() -> {
            NAME.set("scheduled");
            loop.callSoon(() -> seen[0] = NAME.get("unset"));
        });
        Context explicit = new Context();
        explicit.run(() -> NAME.set("explicit"));
        loop.callSoon(() -> seen[1] = NAME.get("unset"), explicit);
        runOnce();
        assertEquals("scheduled", seen[0]);
        assertEquals("explicit", seen[1]);
    }
}
