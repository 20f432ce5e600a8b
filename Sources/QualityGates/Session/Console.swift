import Glibc

/// Writes to standard output and standard error, unbuffered, straight through write(2).
public enum Console {
    public static func error(_ text: String) {
        write(text.hasSuffix("\n") ? text : text + "\n", to: STDERR_FILENO)
    }

    public static func out(_ text: String) {
        write(text, to: STDOUT_FILENO)
    }

    private static func write(_ text: String, to descriptor: Int32) {
        var bytes = Array(text.utf8)[...]
        while !bytes.isEmpty {
            let written = bytes.withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress, $0.count) }
            if written < 0 && errno == EINTR { continue }
            guard written > 0 else { return } // a closed pipe: nothing more can be said there
            bytes = bytes.dropFirst(written)
        }
    }

    /// Colours on a terminal only, and never when NO_COLOR is set (https://no-color.org).
    public static func wantsColor(fileDescriptor: Int32) -> Bool {
        let noColor = variable("NO_COLOR").map { !$0.isEmpty } ?? false
        return !noColor && isatty(fileDescriptor) == 1
    }

    /// One environment variable. `ProcessInfo.environment` builds a dictionary of all of them on
    /// every call, which cost more than a check does.
    public static func variable(_ name: String) -> String? {
        getenv(name).map { String(cString: $0) }
    }
}
