package ai.auraison.zenoh.internal;

import java.net.InetSocketAddress;

/**
 * A Zenoh locator such as {@code tcp/127.0.0.1:7447} or {@code tcp/[::1]:7447}; anything after {@code #} or {@code ?}
 * (endpoint metadata and configuration) is ignored.
 */
public record Endpoint(String protocol, String host, int port) {

    public static Endpoint parse(String text) {
        String locator = text;
        int cut = indexOfAny(locator, '#', '?');
        if (cut >= 0) locator = locator.substring(0, cut);
        int slash = locator.indexOf('/');
        if (slash <= 0) throw new IllegalArgumentException("not a Zenoh endpoint (protocol/address): " + text);
        String protocol = locator.substring(0, slash);
        if (!protocol.equals("tcp")) {
            throw new IllegalArgumentException("unsupported protocol '" + protocol + "' in " + text + " (only tcp)");
        }
        String address = locator.substring(slash + 1);
        int colon = address.lastIndexOf(':');
        if (colon <= 0 || colon == address.length() - 1) {
            throw new IllegalArgumentException("endpoint without a port: " + text);
        }
        String host = address.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) host = host.substring(1, host.length() - 1);
        int port;
        try {
            port = Integer.parseInt(address.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bad port in " + text, e);
        }
        if (port < 0 || port > 65_535) throw new IllegalArgumentException("bad port in " + text);
        return new Endpoint(protocol, host, port);
    }

    private static int indexOfAny(String text, char a, char b) {
        int i = text.indexOf(a);
        int j = text.indexOf(b);
        if (i < 0) return j;
        if (j < 0) return i;
        return Math.min(i, j);
    }

    public InetSocketAddress address() {
        return new InetSocketAddress(host, port);
    }

    @Override
    public String toString() {
        return protocol + "/" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }
}
