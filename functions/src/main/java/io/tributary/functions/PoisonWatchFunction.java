package io.tributary.functions;

import com.microsoft.azure.functions.ExecutionContext;
import com.microsoft.azure.functions.annotation.FunctionName;
import com.microsoft.azure.functions.annotation.TimerTrigger;
import io.tributary.run.LogContext;
import io.tributary.settings.Settings;
import io.tributary.stage.PoisonWatch;

/**
 * Ticks on {@code %TRIBUTARY_POISON_WATCH_SCHEDULE%} (NCRONTAB; every five minutes unless set otherwise) and alerts
 * each poisoned message that the stages' last-attempt hook could not: a file drop the blob trigger gave up on, a
 * stage message whose run raised no poisonMessage alert. It only peeks: the messages stay on their poison queues.
 */
public class PoisonWatchFunction {

    private final PoisonWatch poisonWatch;

    PoisonWatchFunction(PoisonWatch poisonWatch) {
        this.poisonWatch = poisonWatch;
    }

    @FunctionName("poisonWatch")
    public void run(
            @TimerTrigger(name = "timer", schedule = "%" + Settings.POISON_WATCH_SCHEDULE + "%") String timerInfo,
            ExecutionContext context) {
        PoisonWatch.Look look = poisonWatch.look();
        look.alerted().forEach(text -> context.getLogger().warning(LogContext.tag("alerted: " + text)));
        look.notes().forEach(note -> context.getLogger().warning(LogContext.tag(note)));
        context.getLogger().info("poison queues: " + look.poisoned() + " messages, " + look.alerted().size()
                + " alerted now");
    }
}
