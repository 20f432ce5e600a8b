import Testing
@testable import QualityGates

/// The helper runner's edges that a crash would hide.
struct SubprocessTests {
    @Test("a child that closes its input and exits leaves the writer alive (EPIPE, not SIGPIPE), with its status")
    func childClosesInput() throws {
        // 1 MiB is far more than a pipe holds, so writes go on after the child has closed its end.
        // Without SIGPIPE ignored, this test process itself would end at the first such write.
        let outcome = try Subprocess.run("/bin/sh", arguments: ["-c", "exec 0<&-; sleep 0.2; echo done; exit 3"],
                                         input: [UInt8](repeating: 0x61, count: 1 << 20), timeout: 10)
        #expect(outcome.status == 3)
        #expect(outcome.signal == nil)
        #expect(String(decoding: outcome.stdout, as: UTF8.self) == "done\n")
    }

    @Test("the child starts with SIGPIPE at its default even though the parent ignores it")
    func childSignalDefaults() throws {
        _ = try Subprocess.run("/bin/true", input: [], timeout: 10)  // from here on the parent ignores SIGPIPE
        // `yes` into a pipe that closes ends by SIGPIPE (status 141) when the signal is at its
        // default; an inherited SIG_IGN would make it exit 1 on EPIPE instead.
        let outcome = try Subprocess.run("/bin/bash", arguments: ["-c", "yes | head -c 1 >/dev/null; echo ${PIPESTATUS[0]}"], input: [], timeout: 10)
        #expect(String(decoding: outcome.stdout, as: UTF8.self) == "141\n")
    }
}
