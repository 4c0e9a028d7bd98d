import argparse
import asyncio

BODY = b"Hello, World!"


async def handle(reader, writer):
    try:
        while True:
            request_line = await reader.readline()
            if not request_line:
                break  # the client closed the connection between two requests
            headers = {}
            while (line := await reader.readline()) not in (b"\r\n", b"\n", b""):
                name, _, value = line.decode("latin-1").partition(":")
                headers[name.strip().lower()] = value.strip()
            if headers.get("expect", "").lower() == "100-continue":
                writer.write(b"HTTP/1.1 100 Continue\r\n\r\n")
            length = int(headers.get("content-length", "0"))
            while length > 0:  # the body is read and dropped
                chunk = await reader.read(min(length, 65536))
                if not chunk:
                    raise asyncio.IncompleteReadError(b"", length)
                length -= len(chunk)
            keep_alive = (request_line.rstrip().endswith(b"HTTP/1.1")
                          and headers.get("connection", "").lower() != "close")
            writer.write(b"HTTP/1.1 200 OK\r\n"
                         b"Content-Type: text/plain\r\n"
                         + b"Content-Length: %d\r\n" % len(BODY)
                         + (b"" if keep_alive else b"Connection: close\r\n")
                         + b"\r\n" + BODY)
            await writer.drain()
            if not keep_alive:
                break
        writer.close()
        await writer.wait_closed()
    except (ConnectionError, asyncio.IncompleteReadError, asyncio.LimitOverrunError, ValueError):
        writer.close()  # a broken or malformed request: drop the connection


async def main(host, port):
    server = await asyncio.start_server(handle, host, port)
    host, port = server.sockets[0].getsockname()[:2]
    print(f"Serving on {host}:{port}", flush=True)
    async with server:
        await server.serve_forever()


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8888)
    args = parser.parse_args()
    asyncio.run(main(args.host, args.port))
