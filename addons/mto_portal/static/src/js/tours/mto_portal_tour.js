import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("mto_portal_workshop_tour", {
    steps: () => [
        {
            content: "Open the order waiting for the workshop",
            trigger: "a.o_mto_order_link",
            run: "click",
        },
        {
            content: "Accept it",
            trigger: "button.o_mto_accept",
            run: "click",
        },
        {
            content: "The order is accepted and its piece codes are there",
            trigger: ".o_mto_message:contains('piece codes are ready')",
        },
        {
            content: "Each piece has its code",
            trigger: "code.o_mto_piece_code",
        },
        {
            content: "Start production",
            trigger: "button.o_mto_start",
            run: "click",
        },
        {
            content: "Production has started",
            trigger: ".o_mto_message:contains('Production started')",
        },
        {
            content: "Open the completion form",
            trigger: "button.o_mto_complete_open",
            run: "click",
        },
        {
            content: "Confirm the pieces are finished",
            trigger: "button.o_mto_complete:visible",
            run: "click",
        },
        {
            content: "The order is completed",
            trigger: ".o_mto_message:contains('Marked as completed')",
        },
        {
            content: "The labels can be downloaded",
            trigger: "a.o_mto_labels[href$='/labels']",
        },
    ],
});
