package io.customerbus.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialAlteration;
import org.apache.kafka.clients.admin.UserScramCredentialDeletion;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.acl.AccessControlEntryFilter;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.errors.ResourceNotFoundException;
import org.apache.kafka.common.resource.ResourcePatternFilter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Makes a secured broker's users what the KafkaUser manifests say: one SCRAM-SHA-512 user per
 * manifest, holding exactly the manifest's ACLs (earlier ones removed); with --prune, the users it
 * made whose manifests are gone are removed. Run as a super user. Each user's password is kept in a
 * file of its own, made on first use, so services and tests connect as themselves.
 */
@Command(
        name = "sync",
        mixinStandardHelpOptions = true,
        description = {
            "Create a SCRAM-SHA-512 user per KafkaUser manifest holding exactly its ACLs,",
            "so the broker enforces what the cluster would."
        })
public class UsersSyncCommand implements Callable<Integer> {

    private static final int ITERATIONS = 8192;
    private static final String PASSWORD_SUFFIX = ".password";

    @Mixin BrokerOptions broker;

    @Parameters(
            paramLabel = "SOURCE",
            arity = "1..*",
            description = {
                "KafkaUser manifests (YAML; documents of other kinds are skipped), or a checkout:",
                "every YAML file in a k8s/ folder below it (build output and local/ templates aside)."
            })
    List<Path> sources;

    @Option(
            names = "--passwords",
            required = true,
            paramLabel = "DIR",
            description =
                    "Where each user's password is kept (DIR/<user>.password), made if missing.")
    Path passwords;

    @Option(
            names = "--prune",
            description = {
                "Also remove the users this command made (a password file in --passwords DIR)",
                "that no manifest declares any more: their credentials, ACLs and password file.",
                "Users it did not make, such as the broker's own, are never touched."
            })
    boolean prune;

    @Override
    public Integer call() throws Exception {
        Map<String, KafkaUserManifest> users = new LinkedHashMap<>();
        for (Path manifest : KafkaUserManifest.files(sources)) {
            for (KafkaUserManifest user : KafkaUserManifest.read(manifest)) {
                if (users.put(user.name(), user) != null) {
                    System.err.println("KafkaUser " + user.name() + " is declared twice");
                    return ExitCodes.USAGE;
                }
            }
        }
        List<UserScramCredentialAlteration> credentials = new ArrayList<>();
        for (String name : users.keySet()) {
            credentials.add(
                    new UserScramCredentialUpsertion(
                            name,
                            new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, ITERATIONS),
                            password(name)));
        }
        List<AclBindingFilter> previous =
                users.keySet().stream().map(UsersSyncCommand::aclsOf).toList();
        List<AclBinding> declared =
                users.values().stream().flatMap(u -> u.acls().stream()).toList();
        try (Admin admin = broker.admin()) {
            admin.alterUserScramCredentials(credentials).all().get();
            // The declared ACLs first, then only what is no longer declared goes: deleting all and
            // creating them again left every running service without its ACLs in between, and a
            // fetch, commit or transaction landing there was refused.
            admin.createAcls(declared).all().get();
            Set<AclBinding> wanted = Set.copyOf(declared);
            List<AclBindingFilter> stale = new ArrayList<>();
            for (AclBindingFilter user : previous) {
                for (AclBinding existing : admin.describeAcls(user).values().get()) {
                    if (!wanted.contains(existing)) {
                        stale.add(existing.toFilter());
                    }
                }
            }
            if (!stale.isEmpty()) {
                admin.deleteAcls(stale).all().get();
            }
            if (prune) {
                for (String retired : retired(users.keySet())) {
                    removeUser(admin, retired);
                    System.out.printf("%-28s removed (no manifest declares it)%n", retired);
                }
            }
        } catch (ExecutionException e) {
            return BrokerFailures.report("set the users", e.getCause());
        } catch (KafkaException e) {
            return BrokerFailures.report(e);
        }
        users.values()
                .forEach(u -> System.out.printf("%-28s %3d ACL(s)%n", u.name(), u.acls().size()));
        return ExitCodes.OK;
    }

    /** Users with a password file of this command's and no manifest: made by it, now retired. */
    private List<String> retired(Set<String> declared) throws IOException {
        if (!Files.isDirectory(passwords)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(passwords)) {
            return files.map(file -> file.getFileName().toString())
                    .filter(name -> name.endsWith(PASSWORD_SUFFIX))
                    .map(name -> name.substring(0, name.length() - PASSWORD_SUFFIX.length()))
                    .filter(user -> !declared.contains(user))
                    .sorted()
                    .toList();
        }
    }

    /**
     * Its credentials first, so that it can no longer sign in, then its ACLs, then its password
     * file, last, so that a sync that fails half-way finds the user again next time.
     */
    private void removeUser(Admin admin, String user)
            throws ExecutionException, InterruptedException, IOException {
        try {
            admin.alterUserScramCredentials(
                            List.of(
                                    new UserScramCredentialDeletion(
                                            user, ScramMechanism.SCRAM_SHA_512)))
                    .all()
                    .get();
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof ResourceNotFoundException)) {
                throw e; // not there any more is what we want
            }
        }
        admin.deleteAcls(List.of(aclsOf(user))).all().get();
        Files.deleteIfExists(passwords.resolve(user + PASSWORD_SUFFIX));
    }

    private static AclBindingFilter aclsOf(String user) {
        return new AclBindingFilter(
                ResourcePatternFilter.ANY,
                new AccessControlEntryFilter(
                        "User:" + user, null, AclOperation.ANY, AclPermissionType.ANY));
    }

    /** The user's password from its file; a new random one, kept readable by its owner only. */
    private String password(String user) throws IOException {
        Path file = passwords.resolve(user + PASSWORD_SUFFIX);
        if (Files.exists(file)) {
            return Files.readString(file).strip();
        }
        byte[] random = new byte[24];
        new SecureRandom().nextBytes(random);
        String password = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        Files.createDirectories(passwords);
        Files.writeString(file, password);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        return password;
    }
}
