import Foundation

/// Writes a set of files as one folder, all or nothing: the files go into a temporary folder beside the
/// target, which then replaces the target in one rename. A failure leaves no half-written output.
/// `Staging` does the same for files written as they are rendered.
public enum OutputFolder {
    public struct WriteError: Error, Sendable, CustomStringConvertible {
        public let path: String
        public let reason: String
        public var description: String { "\(path): cannot write the results (\(reason)). Check that the folder's parent exists and is writable." }
    }

    public static func write(_ files: [OutputFile], to folder: URL) throws(WriteError) {
        let staging = try Staging(folder)
        do {
            for f in files { try staging.write(f) }
            try staging.commit()
        } catch {
            staging.discard()
            throw error
        }
    }

    /// Puts the finished folder `temp` in place of `target`: the old results are moved aside, the new
    /// ones renamed in, then the old ones dropped.
    static func replace(_ target: URL, with temp: URL) throws(WriteError) {
        let fm = FileManager.default
        let old = temp.deletingLastPathComponent().appendingPathComponent(temp.lastPathComponent.replacingOccurrences(of: ".tmp-", with: ".old-"))
        do {
            var isDir: ObjCBool = false
            if fm.fileExists(atPath: target.path, isDirectory: &isDir) {
                guard isDir.boolValue else {
                    throw WriteError(path: target.path, reason: "a file, not a folder, is in the way")
                }
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
            throw e
        } catch {
            throw WriteError(path: target.path, reason: error.localizedDescription)
        }
    }
}
