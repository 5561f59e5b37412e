package io.customerbus.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.GroupAuthorizationException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.junit.jupiter.api.Test;

class BrokerFailuresTest {

    @Test
    void onlyABrokerOutOfReachIsExitThreeWhichAScriptMayRetry() {
        assertThat(BrokerFailures.report(new TimeoutException("no answer in 10 s")))
                .isEqualTo(ExitCodes.BROKER_UNREACHABLE);
        assertThat(BrokerFailures.report(new KafkaException("Failed to construct kafka consumer")))
                .isEqualTo(ExitCodes.BROKER_UNREACHABLE);
    }

    @Test
    void aRefusalIsExitOneWithTheBrokersReason() {
        assertThat(
                        BrokerFailures.report(
                                new TopicAuthorizationException("customer-events.email.retry")))
                .isEqualTo(ExitCodes.FAILED);
        assertThat(BrokerFailures.report(new GroupAuthorizationException("crm-subscriber")))
                .isEqualTo(ExitCodes.FAILED);
        assertThat(BrokerFailures.report(new SaslAuthenticationException("bad password")))
                .isEqualTo(ExitCodes.FAILED);
        assertThat(BrokerFailures.report(new RecordTooLargeException("too large")))
                .isEqualTo(ExitCodes.FAILED);
    }
}
