import Glibc
import ProjectFiles

/// Runs a helper program with bytes on its standard input and collects its output, within a
/// deadline: past it the child is killed, so a helper that hangs cannot hold a check.
enum Subprocess {
    struct Outcome {
        var status: Int32
        /// Set when the child ended by a signal (for instance a crash, or the deadline's SIGKILL).
        var signal: Int32?
        var timedOut: Bool
        var stdout: [UInt8]
        var stderr: [UInt8]
    }

    struct LaunchError: Error {
        let message: String
    }

    /// Runs `path` with `arguments`, writing `input` to its standard input; output past
    /// `outputLimit` bytes is dropped (the child is not blocked by it).
    private static let ignoreBrokenPipes: Void = { signal(SIGPIPE, SIG_IGN) }()

    /// glibc's posix_spawn_file_actions_addchdir_np (2.29+), which Swift's Glibc module does not
    /// export; found by name at first use.
    private static let addChdir: (@convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>?, UnsafePointer<CChar>?) -> Int32)? = {
        dlsym(nil, "posix_spawn_file_actions_addchdir_np").map { unsafeBitCast($0, to: (@convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>?, UnsafePointer<CChar>?) -> Int32).self) }
    }()

    /// `directory` is the child's working folder; `environment` (`NAME=value` entries) replaces
    /// the inherited one. The child leads a process group of its own, and the deadline kills the
    /// whole group, so a shell's grandchild (`sh -c "python …"`) does not outlive it.
    static func run(_ path: String, arguments: [String] = [], input: [UInt8], timeout: Double,
                    directory: String? = nil, environment: [String]? = nil,
                    outputLimit: Int = 64 << 20) throws(LaunchError) -> Outcome {
        var inPipe: [Int32] = [0, 0], outPipe: [Int32] = [0, 0], errPipe: [Int32] = [0, 0]
        // Glibc's module does not export pipe2, so close-on-exec is set right after pipe().
        guard pipe(&inPipe) == 0, pipe(&outPipe) == 0, pipe(&errPipe) == 0 else {
            throw LaunchError(message: "cannot make pipes: \(FileSystem.lastError())")
        }
        for fd in inPipe + outPipe + errPipe { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, inPipe[0], 0)
        posix_spawn_file_actions_adddup2(&actions, outPipe[1], 1)
        posix_spawn_file_actions_adddup2(&actions, errPipe[1], 2)
        if let directory {
            guard let addChdir = Self.addChdir else { throw LaunchError(message: "this C library cannot start a child in another folder") }
            _ = addChdir(&actions, directory)
        }
        let argv: [UnsafeMutablePointer<CChar>?] = ([path] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        // A child that exits before reading all its input would otherwise end this whole process
        // with SIGPIPE at the next write; ignored, the write fails with EPIPE and the child's exit is
        // reported.
        _ = Self.ignoreBrokenPipes
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        // The child starts as a program started from a shell does: SIGINT and SIGTERM, which this
        // process ignores while it watches for them, at their defaults, and no signal blocked
        // (the thread spawning it may block some, and a child would keep them blocked).
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for number in [SIGPIPE, SIGINT, SIGTERM] { sigaddset(&defaults, number) }
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        var unblocked = sigset_t()
        sigemptyset(&unblocked)
        posix_spawnattr_setsigmask(&attributes, &unblocked)
        posix_spawnattr_setpgroup(&attributes, 0)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETPGROUP))
        var pid: pid_t = 0
        let envp: [UnsafeMutablePointer<CChar>?]? = environment.map { $0.map { strdup($0) } + [nil] }
        defer { envp?.forEach { free($0) } }
        // ETXTBSY: the program was just written and a process forked meanwhile (another thread's
        // spawn) still holds it open for writing until that child's exec; it passes in moments.
        var spawned: Int32 = ETXTBSY
        for attempt in 0..<50 where spawned == ETXTBSY {
            if attempt > 0 { usleep(10_000) }
            spawned = envp.map { envp in posix_spawn(&pid, path, &actions, &attributes, argv, envp) }
                ?? posix_spawn(&pid, path, &actions, &attributes, argv, environ)
        }
        close(inPipe[0]); close(outPipe[1]); close(errPipe[1])
        guard spawned == 0 else {
            close(inPipe[1]); close(outPipe[0]); close(errPipe[0])
            throw LaunchError(message: "cannot start \(path): \(String(cString: strerror(spawned)))")
        }
        var outcome = Outcome(status: 0, signal: nil, timedOut: false, stdout: [], stderr: [])
        var writeFD: Int32? = inPipe[1]
        var written = 0
        var open: [Int32] = [outPipe[0], errPipe[0]]
        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: .milliseconds(Int(timeout * 1000)))
        _ = fcntl(inPipe[1], F_SETFL, fcntl(inPipe[1], F_GETFL) | O_NONBLOCK)
        if input.isEmpty { close(inPipe[1]); writeFD = nil }
        var buffer = [UInt8](repeating: 0, count: 65536)
        while !open.isEmpty || writeFD != nil {
            let left = clock.now.duration(to: deadline).components
            let remaining = Double(left.seconds) + Double(left.attoseconds) / 1e18
            guard remaining > 0 else {
                outcome.timedOut = true
                kill(-pid, SIGKILL)
                break
            }
            var fds = open.map { pollfd(fd: $0, events: Int16(POLLIN), revents: 0) }
            if let writeFD { fds.append(pollfd(fd: writeFD, events: Int16(POLLOUT), revents: 0)) }
            let ready = poll(&fds, nfds_t(fds.count), Int32(min(remaining * 1000, 1000)) + 1)
            if ready < 0 && errno != EINTR { break }
            for entry in fds where entry.revents != 0 {
                if entry.fd == writeFD {
                    let count = input.withUnsafeBytes { raw in
                        write(entry.fd, raw.baseAddress! + written, min(input.count - written, 65536))
                    }
                    if count > 0 { written += count }
                    if count < 0 && errno != EAGAIN && errno != EINTR || written == input.count {
                        close(entry.fd)
                        writeFD = nil
                    }
                    continue
                }
                let count = read(entry.fd, &buffer, buffer.count)
                if count > 0 {
                    if entry.fd == outPipe[0] {
                        if outcome.stdout.count < outputLimit { outcome.stdout += buffer[0..<count] }
                    } else if outcome.stderr.count < outputLimit {
                        outcome.stderr += buffer[0..<count]
                    }
                } else if count == 0 || (errno != EAGAIN && errno != EINTR) {
                    close(entry.fd)
                    open.removeAll { $0 == entry.fd }
                }
            }
        }
        if let writeFD { close(writeFD) }
        open.forEach { close($0) }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        // WIFSIGNALED and WEXITSTATUS are macros Swift does not import.
        if status & 0x7f != 0 {
            outcome.signal = status & 0x7f
        } else {
            outcome.status = (status >> 8) & 0xff
        }
        return outcome
    }
}
