/** One display colour per detection class, shared by the quicklook and the reports. */
import type { DetectionClass } from "../detect/detection.js";

export const CLASS_COLOURS: Record<DetectionClass, string> = {
  apartment_block: "#ff3b30",
  bridge_foundation: "#00c7ff",
  earthworks: "#ffcc00",
  demolition: "#bf5af2",
  other: "#ffffff",
};
