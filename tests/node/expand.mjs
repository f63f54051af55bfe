// Reads an .ics file the way Thunderbird's ical.js does and prints every event
// occurrence between two instants as JSON: [{uid, start (UTC, ISO 8601), status}].
// The time zones are taken from the file's own VTIMEZONE components.
//   node expand.mjs FILE FROM TO     one calendar
//   node expand.mjs --serve          one JSON line {file, from, to} in, one JSON line out,
//                                    for many calendars on one node process
import { readFileSync } from "node:fs";
import { createInterface } from "node:readline";
import ICAL from "ical.js";

function expand(file, from, to) {
  // only this file's zones: none left over from an earlier calendar
  ICAL.TimezoneService.reset();
  const calendar = new ICAL.Component(ICAL.parse(readFileSync(file, "utf8")));
  for (const vtimezone of calendar.getAllSubcomponents("vtimezone")) {
    ICAL.TimezoneService.register(vtimezone);
  }
  const low = ICAL.Time.fromJSDate(new Date(from), true);
  const high = ICAL.Time.fromJSDate(new Date(to), true);
  const masters = new Map();
  const exceptions = [];
  for (const component of calendar.getAllSubcomponents("vevent")) {
    const event = new ICAL.Event(component);
    if (event.isRecurrenceException()) exceptions.push(event);
    else masters.set(event.uid, event);
  }
  for (const exception of exceptions) masters.get(exception.uid)?.relateException(exception);
  const found = [];
  const record = (uid, start, component) =>
    found.push({
      uid,
      start: start.toJSDate().toISOString(),
      status: component.getFirstPropertyValue("status") || "CONFIRMED",
    });
  for (const [uid, event] of masters) {
    if (!event.isRecurring()) {
      if (event.startDate.compare(low) >= 0 && event.startDate.compare(high) <= 0) {
        record(uid, event.startDate, event.component);
      }
      continue;
    }
    const iterator = event.iterator();
    for (let next = iterator.next(), guard = 0; next && guard < 5000; next = iterator.next(), guard++) {
      const details = event.getOccurrenceDetails(next);
      if (details.startDate.compare(high) > 0 && next.compare(high) > 0) break;
      if (details.startDate.compare(low) >= 0 && details.startDate.compare(high) <= 0) {
        record(uid, details.startDate, details.item.component);
      }
    }
  }
  found.sort((a, b) => a.start.localeCompare(b.start));
  return found;
}

const args = process.argv.slice(2);
if (args[0] === "--serve") {
  for await (const line of createInterface({ input: process.stdin })) {
    const { file, from, to } = JSON.parse(line);
    let answer;
    try {
      answer = { found: expand(file, from, to) };
    } catch (error) {
      answer = { error: String(error) };
    }
    process.stdout.write(JSON.stringify(answer) + "\n");
  }
} else {
  process.stdout.write(JSON.stringify(expand(...args)));
}
