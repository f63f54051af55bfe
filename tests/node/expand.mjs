// Reads an .ics file the way Thunderbird's ical.js does and prints every event
// occurrence between two instants as JSON: [{uid, start (UTC, ISO 8601), status}].
// The time zones are taken from the file's own VTIMEZONE components.
import { readFileSync } from "node:fs";
import ICAL from "ical.js";

const [file, from, to] = process.argv.slice(2);
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
process.stdout.write(JSON.stringify(found));
