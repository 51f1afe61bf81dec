import Foundation

/// Writes a set of files as one folder, all or nothing: the files go into a temporary folder beside the
/// target, which then replaces the target in one rename. A failure leaves no half-written output.
public enum OutputFolder {
    public struct WriteError: Error, Sendable, CustomStringConvertible {
        public let path: String
        public let reason: String
        public var description: String { "\(path): cannot write the results (\(reason)). Check that the folder's parent exists and is writable." }
    }

    public static func write(_ files: [OutputFile], to folder: URL) throws(WriteError) {
        let fm = FileManager.default
        let target = folder.standardizedFileURL
        let parent = target.deletingLastPathComponent()
        let name = target.lastPathComponent
        let token = String(UInt64.random(in: 0...UInt64.max), radix: 36)
        let temp = parent.appendingPathComponent(".\(name).tmp-\(token)")
        let old = parent.appendingPathComponent(".\(name).old-\(token)")
        do {
            // A missing parent (`--out out/2026-10` on a fresh checkout) is created, as a person expects.
            try fm.createDirectory(at: parent, withIntermediateDirectories: true)
            try fm.createDirectory(at: temp, withIntermediateDirectories: false)
            for f in files {
                let url = temp.appendingPathComponent(f.name)
                try fm.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                try Data(f.bytes).write(to: url)
            }
            var isDir: ObjCBool = false
            if fm.fileExists(atPath: target.path, isDirectory: &isDir) {
                guard isDir.boolValue else {
                    throw WriteError(path: target.path, reason: "a file, not a folder, is in the way")
                }
                // Move the old results aside, put the new ones in place, then drop the old ones.
                try fm.moveItem(at: target, to: old)
                do {
                    try fm.moveItem(at: temp, to: target)
                } catch {
                    try? fm.moveItem(at: old, to: target)
                    throw error
                }
                try? fm.removeItem(at: old)
            } else {
                try fm.moveItem(at: temp, to: target)
            }
        } catch let e as WriteError {
            try? fm.removeItem(at: temp)
            throw e
        } catch {
            try? fm.removeItem(at: temp)
            throw WriteError(path: target.path, reason: error.localizedDescription)
        }
    }
}
