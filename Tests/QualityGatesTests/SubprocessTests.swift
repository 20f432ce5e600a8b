import Glibc
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

    @Test("the child starts with no signal blocked and SIGINT and SIGTERM at their defaults, whatever this thread blocks and the run ignores")
    func childSignalMask() throws {
        let previous = (signal(SIGINT, SIG_IGN), signal(SIGTERM, SIG_IGN))  // as the run's signal watcher sets them
        defer { _ = signal(SIGINT, previous.0); _ = signal(SIGTERM, previous.1) }
        var blocked = sigset_t(), old = sigset_t()
        sigfillset(&blocked)
        pthread_sigmask(SIG_BLOCK, &blocked, &old)  // as a dispatch worker thread has it
        defer { pthread_sigmask(SIG_SETMASK, &old, nil) }
        let outcome = try Subprocess.run("/bin/grep", arguments: ["-E", "^Sig(Blk|Ign)", "/proc/self/status"], input: [], timeout: 10)
        let masks = String(decoding: outcome.stdout, as: UTF8.self).split(separator: "\n").reduce(into: [String: UInt64]()) { masks, line in
            let parts = line.split(separator: "\t")
            masks[String(parts[0])] = UInt64(parts[1], radix: 16)
        }
        #expect(masks["SigBlk:"] == 0)
        // Bit n − 1 is signal n. (The C library's own real-time signals may stay ignored.)
        let ignored = try #require(masks["SigIgn:"])
        for number in [SIGINT, SIGTERM, SIGPIPE] { #expect(ignored & (1 << UInt64(number - 1)) == 0, "signal \(number) ignored in the child") }
    }
}
