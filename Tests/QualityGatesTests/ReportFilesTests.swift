import Foundation
import QualityGates
import Testing
import TestSupport

/// How a report replaces the one before it: swapped in whole, never written over in place, and
/// nothing left beside it.
struct ReportFilesTests {
    private func names(in folder: TemporaryFolder) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: folder.path(".")).sorted()
    }

    @Test("a report replacing another swaps in whole: a reader of the old one still reads it, the path has the new one, and no temporary file is left")
    func replacesWhole() throws {
        let folder = try TemporaryFolder(files: ["reports/junit.xml": "old report"])
        let path = folder.path("reports/junit.xml")
        let reader = try FileHandle(forReadingFrom: URL(fileURLWithPath: path))
        defer { try? reader.close() }

        try ReportFiles.write(Array("new report, longer than the old".utf8), to: path)
        try ReportFiles.write(Array("newest".utf8), to: path)

        #expect(String(decoding: try reader.readToEnd() ?? Data(), as: UTF8.self) == "old report")
        #expect(folder.read("reports/junit.xml") == "newest")
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path("reports")) == ["junit.xml"])
    }

    @Test("a symbolic link at a report's path is replaced by the report; the file it pointed to is left as it was")
    func replacesLink() throws {
        let folder = try TemporaryFolder(files: ["elsewhere.txt": "not a report"])
        try FileManager.default.createSymbolicLink(atPath: folder.path("summary.md"), withDestinationPath: folder.path("elsewhere.txt"))

        try ReportFiles.write(Array("## summary".utf8), to: folder.path("summary.md"))

        #expect(folder.read("elsewhere.txt") == "not a report")
        #expect(folder.read("summary.md") == "## summary")
        let kind = try FileManager.default.attributesOfItem(atPath: folder.path("summary.md"))[.type] as? FileAttributeType
        #expect(kind == .typeRegular)
        #expect(try names(in: folder) == ["elsewhere.txt", "summary.md"])
    }

    @Test("a report whose folder is missing makes the folder; a path that cannot be written names itself in the error")
    func makesFolder() throws {
        let folder = try TemporaryFolder()
        try ReportFiles.write(Array("{}".utf8), to: folder.path("a/b/report.json"))
        #expect(folder.read("a/b/report.json") == "{}")

        try folder.write("file", "a file, not a folder")
        #expect {
            try ReportFiles.write(Array("{}".utf8), to: folder.path("file/report.json"))
        } throws: { error in
            "\(error)".hasPrefix(folder.path("file/report.json"))
        }
    }
}
