import NIOCore
import NIOPosix
import NIOSSL

/// One TCP connection to a mail server, plain or TLS from the first byte, read a line at a time. Every wait is
/// bounded by the dialer's timeout.
final class MailConnection: Sendable {
    let channel: any Channel
    /// The name TLS presents and verifies: the row's host, wherever `--connect-to` sent the connection.
    let host: String
    private let dialer: MailDialer
    /// Held here rather than looked up in the pipeline, which is emptied when the connection closes.
    private let reader: NIOLoopBoundBox<LineReader?>

    private init(channel: any Channel, host: String, dialer: MailDialer, reader: NIOLoopBoundBox<LineReader?>) {
        self.channel = channel
        self.host = host
        self.dialer = dialer
        self.reader = reader
    }

    static func open(host: String, port: Int, implicitTLS: Bool, dialer: MailDialer) async throws -> MailConnection {
        let (address, addressPort) = ConnectTo.route(host, port, through: dialer.connectTo)
        let tls = dialer.tls
        let serverName = Self.serverName(host)
        let loop = dialer.group.next()
        let reader = NIOLoopBoundBox.makeEmptyBox(valueType: LineReader.self, eventLoop: loop)
        let channel = try await ClientBootstrap(group: loop)
            .connectTimeout(dialer.stepTimeout)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    if implicitTLS {
                        try channel.pipeline.syncOperations.addHandler(NIOSSLClientHandler(context: tls, serverHostname: serverName))
                    }
                    let lines = LineReader()
                    reader.value = lines
                    try channel.pipeline.syncOperations.addHandler(lines)
                }
            }
            .connect(host: address, port: addressPort).get()
        return MailConnection(channel: channel, host: host, dialer: dialer, reader: reader)
    }

    /// The next line the server sends.
    func readLine() async throws -> String {
        let timeout = dialer.stepTimeout
        return try await channel.eventLoop.flatSubmit { [channel, reader] in
            reader.value!.next(on: channel.eventLoop, timeout: timeout)
        }.get()
    }

    /// Sends one command line; CRLF is added here.
    func send(_ line: String) async throws {
        var buffer = channel.allocator.buffer(capacity: line.utf8.count + 2)
        buffer.writeString(line)
        buffer.writeString("\r\n")
        try await write(buffer)
    }

    /// Sends bytes as they are (an IMAP literal's contents).
    func send(bytes: [UInt8]) async throws {
        try await write(channel.allocator.buffer(bytes: bytes))
    }

    /// A write fails once the channel is closed; what closed it (a failed TLS handshake, say) is the error to report.
    private func write(_ buffer: ByteBuffer) async throws {
        do {
            try await channel.writeAndFlush(buffer).get()
        } catch {
            let cause = try? await channel.eventLoop.submit { [reader] in reader.value!.failure }.get()
            throw (cause ?? nil) ?? error
        }
    }

    /// Turns the connection into TLS after the server agreed to STARTTLS, and returns once the handshake is done.
    /// Anything the server sent after its answer would have been read as if protected, so it ends the conversation.
    func startTLS() async throws {
        let tls = dialer.tls
        let serverName = Self.serverName(host)
        let timeout = dialer.stepTimeout
        try await channel.eventLoop.flatSubmit { [channel, reader] in
            do {
                let reader = reader.value!
                guard !reader.hasUnreadInput else { throw MailError.unexpected("the server sent data before TLS began") }
                try channel.pipeline.syncOperations.addHandler(NIOSSLClientHandler(context: tls, serverHostname: serverName), position: .first)
                return reader.handshake(on: channel.eventLoop, timeout: timeout)
            } catch {
                return channel.eventLoop.makeFailedFuture(error)
            }
        }.get()
    }

    func close() async {
        try? await channel.close().get()
    }

    /// SNI and the name checked against the certificate; an IP literal is sent as no name, as TLS requires.
    private static func serverName(_ host: String) -> String? {
        let bare = host.hasPrefix("[") && host.hasSuffix("]") ? String(host.dropFirst().dropLast()) : host
        return (try? SocketAddress(ipAddress: bare, port: 0)) == nil ? host : nil
    }
}
