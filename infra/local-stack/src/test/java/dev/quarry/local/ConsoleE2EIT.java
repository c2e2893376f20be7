package dev.quarry.local;

import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The web console in a real browser: runs {@code src/test/e2e/console.e2e.mjs} (playwright-core from npm,
 * installed by the build into target/e2e) with node against the running local stack, driving the system's
 * headless Chromium. Screenshots of each step, results and the console's page weight and time to
 * interactive are written to target/console-e2e/.
 */
@ExtendWith(StackSession.class)
class ConsoleE2EIT {
    private static final String HOSTILE_NAME = "<img src=x onerror=window.__pwned=1>.pdf";

    @Test
    void signs_in_with_the_user_pool_and_a_key_uploads_asks_shows_the_highlighted_quote_on_the_cited_page_and_deletes() throws Exception {
        StackConfig config = StackSession.ensure();
        Path module = config.projectRoot().resolve("infra/local-stack");
        Path script = module.resolve("target/e2e/console.e2e.mjs");
        assertThat(script).as("the e2e script and its node_modules, prepared by the Maven build (pre-integration-test)")
                .exists();
        assertThat(script.resolveSibling("node_modules/playwright-core")).exists();
        Path chromium = Path.of(System.getenv().getOrDefault("CHROMIUM", "/usr/bin/chromium"));
        assertThat(Files.isExecutable(chromium)).as("Chromium at " + chromium + " (apt-get install -y chromium, or set CHROMIUM)")
                .isTrue();

        Path out = module.resolve("target/console-e2e");
        Files.createDirectories(out);
        try (var old = Files.list(out)) {
            for (Path p : old.filter(p -> p.toString().endsWith(".png")).toList()) {
                Files.delete(p);
            }
        }
        Path hostile = hostilePdf(out.resolve("hostile"));
        String tenant = "console-e2e-" + UUID.randomUUID().toString().substring(0, 8);
        // An invited user of the tenant, new on every run: the first sign-in must set a password.
        String email = tenant + "@example.com";
        String temporary = config.userPool().addUser(email, tenant, true);

        ProcessBuilder node = new ProcessBuilder("node", script.toString())
                .directory(script.getParent().toFile())
                .redirectErrorStream(true)
                .redirectOutput(out.resolve("e2e.log").toFile());
        node.environment().putAll(Map.of(
                "QUARRY_API", config.apiUrl(),
                "QUARRY_API_KEY", config.apiKeyFor(tenant),
                "QUARRY_SAMPLE_PDF", config.projectRoot().resolve("infra/local-stack/samples/xspace.pdf").toString(),
                "QUARRY_HOSTILE_PDF", hostile.toString(),
                "QUARRY_QUESTION", "What does the xspace command do at the end of a macro?",
                "QUARRY_E2E_OUT", out.toString(),
                "CHROMIUM", chromium.toString()));
        node.environment().putAll(Map.of(
                "QUARRY_TENANT", tenant,
                "QUARRY_COGNITO_EMAIL", email,
                "QUARRY_COGNITO_PASSWORD", temporary,
                "QUARRY_COGNITO_ENDPOINT", config.cognitoEndpoint()));
        Process process = node.start();
        boolean finished = process.waitFor(12, TimeUnit.MINUTES);
        if (!finished) {
            process.destroyForcibly();
        }
        String log = Files.readString(out.resolve("e2e.log"));
        System.out.println(log);
        assertThat(finished).as("the e2e run finished within 12 minutes:\n" + log).isTrue();
        assertThat(process.exitValue()).as("e2e run:\n" + log).isZero();
        assertThat(log).contains("0 failed");
        try (var shots = Files.list(out)) {
            List<String> names = shots.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".png")).sorted().toList();
            assertThat(names).anyMatch(n -> n.contains("cited-page")).anyMatch(n -> n.contains("ready"))
                    .anyMatch(n -> n.contains("hostile-inert")).anyMatch(n -> n.contains("phone"));
        }
    }

    /** One page whose text, and whose file name, would run script if the console rendered them as HTML. */
    private static Path hostilePdf(Path dir) throws IOException {
        Files.createDirectories(dir);
        Path file = dir.resolve(HOSTILE_NAME);
        try (PDDocument doc = new PDDocument()) {
            PDPage page = new PDPage();
            doc.addPage(page);
            try (PDPageContentStream text = new PDPageContentStream(doc, page)) {
                text.beginText();
                text.setFont(new PDType1Font(Standard14Fonts.FontName.HELVETICA), 12);
                text.newLineAtOffset(72, 700);
                text.setLeading(16);
                for (String line : List.of("Hostile sample for the console: zebra quokka.",
                        "<script>window.__pwned=1</script>",
                        "<img src=x onerror=window.__pwned=1>",
                        "If the console rendered this text as HTML, the marker would be set.")) {
                    text.showText(line);
                    text.newLine();
                }
                text.endText();
            }
            doc.save(file.toFile());
        }
        assertThat(Files.readAllBytes(file)).startsWith("%PDF-".getBytes(StandardCharsets.US_ASCII));
        return file;
    }
}
