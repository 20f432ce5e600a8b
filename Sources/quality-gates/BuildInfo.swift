/// What `scripts/package` knows when it builds a release: the commit it was built from. A
/// development build (`swift build`, `scripts/run-quality-gates`) leaves it nil.
enum BuildInfo {
    /// Rewritten by scripts/package for the build of a release tarball, then put back.
    static let commit: String? = nil
}
