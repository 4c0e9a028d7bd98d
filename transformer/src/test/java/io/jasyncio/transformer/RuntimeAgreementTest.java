package io.jasyncio.transformer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.jasyncio.internal.NotWovenDiagnosis;
import org.junit.jupiter.api.Test;

/**
 * What the runtime's NotWovenException message relies on from the agent (the protocol itself: WovenContractTest).
 */
class RuntimeAgreementTest {
    @Test
    void theAgentSetsThePropertyTheRuntimeReads() {
        assertEquals(NotWovenDiagnosis.AGENT_PROPERTY, Agent.AGENT_PROPERTY);
    }
}
