package io.tributary.stage;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which folders of the work root a starting process sweeps, and which it leaves to their owners. */
class WorkRootTest {

    @TempDir
    Path root;

    @Test
    void aStartingProcessSweepsTheFoldersOfProcessesThatAreGoneAndKeepsTheLiving() throws Exception {
        Process ended = new ProcessBuilder("true").start();
        ended.waitFor();
        long startOfThis = ProcessHandle.current().info().startInstant().orElseThrow().toEpochMilli();
        Path dead = spooled("proc-" + ended.pid() + "-" + ended.info().startInstant().map(Instant::toEpochMilli)
                .orElse(1L));
        Path reused = spooled("proc-" + ProcessHandle.current().pid() + "-" + (startOfThis - 60_000));
        Path living = spooled("proc-" + ProcessHandle.current().pid() + "-" + startOfThis);
        Path parent = spooled("proc-" + ProcessHandle.current().parent().orElseThrow().pid() + "-0");
        Instant now = Instant.now();
        Path oldLoose = spooled("run-transform-0-old");
        Files.setLastModifiedTime(oldLoose, FileTime.from(now.minus(WorkRoot.STALE).minusSeconds(1)));
        Path freshLoose = spooled("run-transform-0-fresh");
        List<Path> swept = new ArrayList<>();

        Path own = WorkRoot.claim(root, now, s -> swept.addAll(s.folders()));

        assertEquals(living, own, "this process's folder, with its work");
        assertEquals(Stream.of(dead, oldLoose, reused).sorted().toList(), swept.stream().sorted().toList());
        assertEquals(Stream.of(freshLoose, living, parent).sorted().toList(), entries(), "the living and the recent stay");
    }

    @Test
    void aRootThatIsNotAFolderIsLeftForTheInvocationsToReport() throws Exception {
        Path file = Files.writeString(root.resolve("work"), "not a folder");

        Path own = WorkRoot.claim(file, Instant.now(), s -> { });

        assertEquals(file.resolve(WorkRoot.folderName(ProcessHandle.current())), own);
        assertEquals("not a folder", Files.readString(file));
    }

    /** A folder {@code name} under the root holding a spool, as a killed fetch leaves it. */
    private Path spooled(String name) throws Exception {
        Path folder = Files.createDirectories(root.resolve(name));
        Files.writeString(Files.createDirectories(folder.resolve("fetch-1")).resolve("records.jsonl"), "{}\n");
        return folder;
    }

    private List<Path> entries() throws Exception {
        try (Stream<Path> entries = Files.list(root)) {
            return entries.sorted().toList();
        }
    }
}
