"use client";

import { ChevronDown, Clock, LogOut } from "lucide-react";
import { signOut } from "next-auth/react";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import {
  DropdownMenu,
  DropdownMenuContent,
  DropdownMenuItem,
  DropdownMenuLabel,
  DropdownMenuSeparator,
  DropdownMenuTrigger,
} from "@/components/ui/dropdown-menu";
import { type AvatarUser, UserAvatar } from "@/components/user-avatar";
import { useTimeZone } from "./time-zone";
import { TimeZoneDialog } from "./time-zone-dialog";

export function UserMenu({ user, email, roleLabel }: { user: AvatarUser; email: string; roleLabel: string }) {
  const timeZone = useTimeZone();
  const [zoneOpen, setZoneOpen] = useState(false);
  return (
    <>
      <DropdownMenu>
        <DropdownMenuTrigger asChild>
          <Button variant="ghost" className="h-10 gap-2 px-2" aria-label={`Account menu for ${user.name}`}>
            <UserAvatar user={user} className="size-7" />
            <span className="hidden text-left leading-tight sm:block">
              <span className="block text-sm font-medium">{user.name}</span>
              <span className="block text-xs text-muted-foreground">{roleLabel}</span>
            </span>
            <ChevronDown className="text-muted-foreground" aria-hidden />
          </Button>
        </DropdownMenuTrigger>
        <DropdownMenuContent align="end">
          <DropdownMenuLabel>
            <span className="block font-medium">{user.name}</span>
            <span className="block text-xs font-normal text-muted-foreground">{email}</span>
            <span className="mt-1 block text-xs font-normal text-muted-foreground">Role: {roleLabel}</span>
          </DropdownMenuLabel>
          <DropdownMenuSeparator />
          <DropdownMenuItem onSelect={() => setZoneOpen(true)}>
            <Clock aria-hidden />
            <span>
              Time zone: <span data-testid="user-time-zone">{timeZone.replaceAll("_", " ")}</span>
            </span>
          </DropdownMenuItem>
          <DropdownMenuItem onSelect={() => void signOut({ callbackUrl: "/sign-in" })}>
            <LogOut aria-hidden />
            Sign out
          </DropdownMenuItem>
        </DropdownMenuContent>
      </DropdownMenu>
      <TimeZoneDialog open={zoneOpen} onOpenChange={setZoneOpen} />
    </>
  );
}
