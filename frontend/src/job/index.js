// Entry point of static/js/job.js: the job page's log follows its end while the reader is there.
//
// htmx appends new log records (the tail poll, jobs/views.py `job_log`) and replaces the list
// when the filters change. Before each swap into a `[data-log-scroll]` box we note whether it
// was scrolled to its end; after the swap settles, a box that was is scrolled to its new end.
// A reader who scrolled up to read stays where they are. On load every box starts at its end,
// where a failed job's traceback is.

const SLACK = 24; // px from the end that still count as "at the end"

const atEnd = (box) => box.scrollHeight - box.scrollTop - box.clientHeight <= SLACK;
const toEnd = (box) => {
  box.scrollTop = box.scrollHeight;
};

function start() {
  document.querySelectorAll("[data-log-scroll]").forEach(toEnd);
  document.addEventListener("htmx:beforeSwap", (event) => {
    const box = event.detail.target?.closest?.("[data-log-scroll]");
    if (box) box.dataset.following = atEnd(box) ? "true" : "false";
  });
  document.addEventListener("htmx:afterSettle", () => {
    document.querySelectorAll('[data-log-scroll][data-following="true"]').forEach(toEnd);
  });
}

if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
else start();
