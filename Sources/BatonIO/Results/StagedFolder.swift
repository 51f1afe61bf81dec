import BatonCore
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A file being written into a staged folder. Writes go straight to the file (the writer buffers); the
/// first failure is kept and reported by `close()`, so a full disk fails the run instead of truncating.
public final class FileSink: ByteSink, @unchecked Sendable {
    public let name: String
    private var fd: Int32
    private var failure: String?
    public private(set) var written: Int = 0

    init(url: URL, name: String) throws(OutputFolder.WriteError) {
        self.name = name
        fd = open(url.path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        if fd < 0 { throw OutputFolder.WriteError(path: url.path, reason: String(cString: strerror(errno))) }
    }

    public func write(_ chunk: UnsafeRawBufferPointer) {
        guard failure == nil, var p = chunk.baseAddress else { return }
        var left = chunk.count
        while left > 0 {
            let n = Glibc.write(fd, p, left)
            if n < 0 {
                if errno == EINTR { continue }
                failure = String(cString: strerror(errno))
                return
            }
            left -= n
            p += n
        }
        written += chunk.count
    }

    /// Closes the file; throws the first write failure.
    func close() throws(OutputFolder.WriteError) {
        if fd >= 0 {
            if Glibc.close(fd) != 0, failure == nil { failure = String(cString: strerror(errno)) }
            fd = -1
        }
        if let failure { throw OutputFolder.WriteError(path: name, reason: failure) }
    }

    deinit { if fd >= 0 { _ = Glibc.close(fd) } }
}

extension OutputFolder {
    /// An output folder being written: files are created in a temporary folder beside the target, written
    /// as they are rendered (from several threads, one file per writer), and the folder replaces the
    /// target in one rename on `commit()`. `discard()` (or a failed commit) leaves the target untouched.
    public final class Staging: @unchecked Sendable {
        public let target: URL
        let temp: URL
        private let lock = NSLock()
        private var sinks: [FileSink] = []
        private var done = false

        public init(_ folder: URL) throws(WriteError) {
            target = folder.standardizedFileURL
            let parent = target.deletingLastPathComponent()
            let token = String(UInt64.random(in: 0...UInt64.max), radix: 36)
            temp = parent.appendingPathComponent(".\(target.lastPathComponent).tmp-\(token)")
            do {
                try FileManager.default.createDirectory(at: parent, withIntermediateDirectories: true)
                try FileManager.default.createDirectory(at: temp, withIntermediateDirectories: false)
            } catch {
                throw WriteError(path: target.path, reason: error.localizedDescription)
            }
        }

        /// A new file in the staged folder (`name` may hold subfolders).
        public func file(_ name: String) throws(WriteError) -> FileSink {
            let url = temp.appendingPathComponent(name)
            do {
                try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            } catch {
                throw WriteError(path: url.path, reason: error.localizedDescription)
            }
            let sink = try FileSink(url: url, name: target.appendingPathComponent(name).path)
            lock.lock(); sinks.append(sink); lock.unlock()
            return sink
        }

        /// Writes a whole file at once.
        public func write(_ file: OutputFile) throws(WriteError) {
            let sink = try self.file(file.name)
            sink.write(file.bytes)
        }

        /// Closes every file and puts the folder in place of the target.
        public func commit() throws(WriteError) {
            lock.lock(); let all = sinks; done = true; lock.unlock()
            do {
                for s in all { try s.close() }
                try OutputFolder.replace(target, with: temp)
            } catch {
                try? FileManager.default.removeItem(at: temp)
                throw error
            }
        }

        /// Drops everything written; the target is untouched.
        public func discard() {
            lock.lock(); let all = sinks; done = true; lock.unlock()
            for s in all { try? s.close() }
            try? FileManager.default.removeItem(at: temp)
        }

        deinit { if !done { try? FileManager.default.removeItem(at: temp) } }
    }
}
