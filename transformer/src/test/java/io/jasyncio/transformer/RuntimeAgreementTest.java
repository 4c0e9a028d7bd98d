package io.jasyncio.transformer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.jasyncio.internal.NotWovenDiagnosis;
import org.junit.jupiter.api.Test;

/** What the runtime's NotWovenException message relies on from the transformer and the agent. */
class RuntimeAgreementTest {
    @Test
    void theRuntimeKnowsTheProtocolTheTransformerWeavesFor() {
        assertEquals(Transformer.PROTOCOL, NotWovenDiagnosis.PROTOCOL);
    }

    @Test
    void theAgentSetsThePropertyTheRuntimeReads() {
        assertEquals(NotWovenDiagnosis.AGENT_PROPERTY, Agent.AGENT_PROPERTY);
    }
}
