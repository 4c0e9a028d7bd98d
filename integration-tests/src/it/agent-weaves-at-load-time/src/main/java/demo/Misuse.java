package demo;

import static io.jasyncio.Asyncio.await;
import static io.jasyncio.Asyncio.sleep;

public class Misuse {
    static void notAsync() {
        await(sleep(0.01));
    }

    public static void main(String[] args) {
        notAsync();
    }
}
