package dev.quarry.local;

import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.net.InetSocketAddress;

/** The JDK HTTP servers of the local stack (S3 proxy, API gateway, Lambda Runtime API). */
final class LocalHttpServers {
    static {
        // Without TCP_NODELAY (the JDK server's default) a response whose body is written after its headers waits
        // for the client's delayed ACK, 40 ms on Linux, on every hop: AWS's own endpoints add no such delay.
        System.setProperty("sun.net.httpserver.nodelay", "true");
    }

    private LocalHttpServers() {
    }

    static HttpServer bind(int port, int backlog) throws IOException {
        return HttpServer.create(new InetSocketAddress("127.0.0.1", port), backlog);
    }
}
