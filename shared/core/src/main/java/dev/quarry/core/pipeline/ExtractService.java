package dev.quarry.core.pipeline;

import dev.quarry.core.extract.DocumentContexts;
import dev.quarry.core.extract.PdfExtractor;
import dev.quarry.core.extract.PdfInfo;
import dev.quarry.core.port.ObjectStore;
import dev.quarry.model.DocumentContext;
import dev.quarry.model.DocumentRejectedException;
import dev.quarry.model.ErrorCode;
import dev.quarry.model.PageText;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The extract stage. An upload (documents/...) is validated and planned: its pages are split into
 * parts of at most {@code pagesPerPart} pages, each written as a range task (work/ranges/...), so a
 * 2,400-page manual becomes many small independent invocations. A range task extracts its pages'
 * text into work/extracted/....
 */
public final class ExtractService {
    private static final Logger LOG = Logger.getLogger(ExtractService.class);

    private final ObjectStore store;
    private final DocumentLifecycle documents;
    private final PdfExtractor extractor;
    private final int pagesPerPart;
    private final long maxBytes;

    public ExtractService(ObjectStore store, DocumentLifecycle documents, PdfExtractor extractor, int pagesPerPart, long maxBytes) {
        this.store = store;
        this.documents = documents;
        this.extractor = extractor;
        this.pagesPerPart = pagesPerPart;
        this.maxBytes = maxBytes;
    }

    public void handle(S3Notification event) {
        if (!event.created()) {
            return;
        }
        if (event.key().startsWith(Keys.DOCUMENTS)) {
            plan(event);
        } else if (event.key().startsWith(Keys.RANGES)) {
            extractRange(event.key());
        } else {
            LOG.warnf("Ignoring %s: not an upload or a range task", event.key());
        }
    }

    void plan(S3Notification event) {
        Keys.DocumentKey doc = Keys.parseDocument(event.key());
        if (doc == null) {
            LOG.warnf("Ignoring %s: not documents/<tenant>/<name>.pdf with a valid tenant", event.key());
            return;
        }
        String version = event.eTag();
        DocumentLifecycle.Start start = documents.start(doc, event.key(), version, event.sequencer(), event.size());
        if (start == DocumentLifecycle.Start.REPLAY) {
            if (rangeTasksWritten(doc, version)) {
                LOG.infof("Skipping replayed event for %s: version %s is already planned", event.key(), version);
                return;
            }
            // An earlier try recorded the plan and then stopped (a crash, a failed PUT) before every range task was
            // written; without them the version never completes. The same bytes give the same tasks.
            LOG.infof("Replayed event for %s: version %s is planned but not all its range tasks are written; writing them",
                    event.key(), version);
        }
        if (start == DocumentLifecycle.Start.STALE) {
            LOG.infof("Skipping stale event for %s (version %s)", event.key(), version);
            return;
        }
        if (event.size() > maxBytes) {
            fail(doc.documentId(), version, new DocumentRejectedException(ErrorCode.TOO_LARGE,
                    "The file is " + event.size() + " bytes; the limit is " + maxBytes + " bytes."));
            return;
        }
        Path tmp = tempFile();
        try {
            store.download(event.key(), version, tmp);
            PdfInfo info = extractor.inspect(tmp);
            int pages = info.pageCount();
            int parts = (pages + pagesPerPart - 1) / pagesPerPart;
            DocumentContext context = DocumentContexts.of(doc.name(), info.metadata().title(), info.firstPagesText());
            documents.planned(doc.documentId(), version, pages, parts, info.metadata().title(), info.metadata().author());
            for (int part = 0; part < parts; part++) {
                int from = part * pagesPerPart + 1;
                int to = Math.min(pages, from + pagesPerPart - 1);
                WorkFiles.PartRef ref = new WorkFiles.PartRef(doc.tenant(), doc.documentId(), doc.name(), event.key(),
                        version, part, parts);
                WorkFiles.write(store, Keys.work(Keys.RANGES, doc.tenant(), doc.documentId(), version, part),
                        new WorkFiles.RangeTask(ref, from, to, pages, context));
            }
            LOG.infof("Planned %s: %d pages in %d parts", event.key(), pages, parts);
        } catch (DocumentRejectedException e) {
            fail(doc.documentId(), version, e);
        } catch (ObjectStore.ObjectMissingException | ObjectStore.ObjectChangedException e) {
            LOG.infof("Skipping %s: %s (a newer upload or a delete follows)", event.key(), e.getMessage());
        } finally {
            deleteQuietly(tmp);
        }
    }

    void extractRange(String rangeKey) {
        Keys.WorkKey wk = Keys.parseWork(rangeKey);
        if (wk == null) {
            LOG.warnf("Ignoring %s: not a range task key", rangeKey);
            return;
        }
        if (!documents.current(wk.documentId(), wk.version())) {
            LOG.infof("Skipping %s: version %s is no longer current", rangeKey, wk.version());
            return;
        }
        WorkFiles.RangeTask task;
        try {
            task = WorkFiles.read(store, rangeKey, WorkFiles.RangeTask.class);
        } catch (ObjectStore.ObjectMissingException e) {
            documents.missingWorkFile(wk.documentId(), wk.version(), "extract", e);
            LOG.infof("Skipping %s: the task is gone (document deleted)", rangeKey);
            return;
        }
        Path tmp = tempFile();
        try {
            store.download(task.ref().sourceKey(), task.ref().version(), tmp);
            PdfExtractor.PagesResult result = extractor.extractPages(tmp, task.fromPage(), task.toPage());
            List<PageText> pages = result.pages();
            WorkFiles.write(store, Keys.work(Keys.EXTRACTED, wk.tenant(), wk.documentId(), wk.version(), wk.part()),
                    new WorkFiles.ExtractedPart(task.ref(), pages, result.warnings(), task.context()));
        } catch (DocumentRejectedException e) {
            fail(wk.documentId(), wk.version(), e);
        } catch (ObjectStore.ObjectMissingException | ObjectStore.ObjectChangedException e) {
            LOG.infof("Skipping %s: %s", rangeKey, e.getMessage());
        } finally {
            deleteQuietly(tmp);
        }
    }

    /** True unless the version is planned, still in the pipeline, and has fewer range tasks than parts. */
    private boolean rangeTasksWritten(Keys.DocumentKey doc, String version) {
        return documents.get(doc.documentId())
                .filter(r -> version.equals(r.version()) && !r.status().terminal() && r.parts() > 0)
                .map(r -> store.list(Keys.workPrefix(Keys.RANGES, doc.tenant(), doc.documentId()) + version + "/").size() >= r.parts())
                .orElse(true);
    }

    private void fail(String documentId, String version, DocumentRejectedException e) {
        LOG.infof("Document %s failed: %s %s", documentId, e.code(), e.reason());
        documents.fail(documentId, version, e.code(), e.reason());
    }

    private static Path tempFile() {
        try {
            return Files.createTempFile("quarry-", ".pdf");
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create a temporary file for the PDF", e);
        }
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException ignored) {
            // /tmp is cleaned with the sandbox
        }
    }
}
