package io.customerbus.email.mail;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.ext.mail.SMTPException;
import java.net.ConnectException;
import java.util.List;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

class SendFailureTest {

    @Test
    void aFourHundredReplyIsWorthAnotherTry() {
        SendFailure failure =
                SendFailure.of(
                        new CompletionException(
                                new SMTPException(
                                        "busy", 451, List.of("451 try again later"), false)));
        assertThat(failure.permanent()).isFalse();
        assertThat(failure.reason()).startsWith("SMTP 451");
    }

    @Test
    void aFiveHundredReplyIsFinal() {
        SendFailure failure =
                SendFailure.of(
                        new SMTPException("no such user", 550, List.of("550 no such user"), false));
        assertThat(failure.permanent()).isTrue();
        assertThat(failure.reason()).isEqualTo("SMTP 550 550 no such user");
    }

    @Test
    void anUnreachableProviderIsPassing() {
        SendFailure failure =
                SendFailure.of(new RuntimeException(new ConnectException("Connection refused")));
        assertThat(failure.permanent()).isFalse();
        assertThat(failure.reason()).isEqualTo("ConnectException: Connection refused");
    }
}
